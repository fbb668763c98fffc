// Checks every document of the Kubernetes manifests under a folder against Kubernetes' OpenAPI schemas, as
// kubernetes-models compiles them: types, enums, required fields, formats. Prints one line per document and exits 1
// when a document is invalid, names a kind the schemas do not have, or when there is no document at all.
// Usage: node validate.mjs <folder>
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node validate.mjs <folder>");
  process.exit(2);
}

const files = readdirSync(folder, { recursive: true }).filter((f) => f.endsWith(".yaml")).map((f) => join(folder, f)).sort();
let documents = 0;
let problems = 0;
for (const file of files) {
  for (const parsed of parseAllDocuments(readFileSync(file, "utf8"))) {
    const document = parsed.toJS();
    if (document === null) continue;
    documents++;
    const where = `${relative(folder, file)}: ${document.kind}/${document.metadata?.name}`;
    try {
      const [group, version] = document.apiVersion.includes("/") ? document.apiVersion.split("/") : ["", document.apiVersion];
      const module = await import(`kubernetes-models/${group ? `${group}/` : ""}${version}/${document.kind}`);
      new module[document.kind](document).validate();
      console.log(`valid   ${where}`);
    } catch (error) {
      problems++;
      console.log(`INVALID ${where}: ${error.message}`);
    }
  }
}

if (documents === 0) {
  console.log(`no Kubernetes document under ${folder}`);
  process.exit(1);
}

console.log(`${documents} documents, ${problems} invalid`);
process.exit(problems === 0 ? 0 : 1);
