// Shortly before an idle referral draft is deleted, show the warning the page already holds (it says how long
// answers are kept without this script). Typing is not activity for the server, so only page loads reset it.
const warning = document.getElementById("draft-timeout-warning");
if (warning) {
  const seconds = Number(warning.dataset.warnAfter);
  if (seconds > 0) {
    setTimeout(() => { warning.hidden = false; }, seconds * 1000);
  }
}
