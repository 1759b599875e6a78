// Compiles the site's Sass and copies GOV.UK Frontend's script and assets into app/static/dist.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "app", "static", "dist");
mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, "app", "static", "src", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "app.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(govuk, "assets"), join(out, "assets"), { recursive: true });
console.log(`Built app/static/dist/app.css (${result.css.length} bytes)`);
