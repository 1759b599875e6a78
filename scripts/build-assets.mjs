// Compiles the site's Sass, copies GOV.UK Frontend's script and assets, and the site's own scripts, into
// app/static/dist. The CSS and scripts get content-hashed names (app.3f2a9c1b.css) so they can be cached for a
// year; dist/manifest.json maps each plain name to its hashed one, for the static_asset() template helper.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "app", "static", "dist");
const scripts = join(root, "app", "static", "js");
// Start clean, so old hashed files do not pile up; the manifest is written last (it is make's build stamp).
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const manifest = {};

function hashed(name, content) {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 10);
  const dot = name.indexOf(".");
  const file = `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
  writeFileSync(join(out, file), content);
  manifest[name] = file;
  return file;
}

const result = sass.compile(join(root, "app", "static", "src", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
hashed("app.css", result.css);
const frontend = hashed("govuk-frontend.min.js", readFileSync(join(govuk, "govuk-frontend.min.js")));
// The site's own modules import GOV.UK Frontend by its plain name; point them at the hashed file.
for (const name of readdirSync(scripts).filter((n) => n.endsWith(".js")).sort()) {
  const source = readFileSync(join(scripts, name), "utf8").replaceAll("../dist/govuk-frontend.min.js", `./${frontend}`);
  hashed(name, source);
}
// Fonts and images keep the names the CSS uses (GOV.UK's fonts already carry a hash in theirs).
cpSync(join(govuk, "assets"), join(out, "assets"), { recursive: true });
writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`Built app/static/dist: ${Object.values(manifest).join(", ")}`);
