// Fails when the app's build (ui/build, embedded in the desktop binary) carries the browser preview's sample:
// its code and data must be left out at build time (__ENCAISSE_PREVIEW__ is false in `vite build`).
//   node tools/check-bundle.mjs                               the app's build: no marker may appear
//   node tools/check-bundle.mjs build-preview --expect-sample the preview's build: every marker must appear
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const expectSample = args.includes('--expect-sample');
const dir = args.find((a) => !a.startsWith('--')) ?? 'build';

/** Strings found only in the sample: two of its customers' names and the preview's own refusal message. */
function markers() {
	const customers = JSON.parse(readFileSync('src/lib/api/fixtures/customers.json', 'utf8')).customers;
	return [customers[0].name, customers[customers.length - 1].name, 'outside the app no file can be read'];
}

function files(root) {
	return readdirSync(root).flatMap((name) => {
		const path = join(root, name);
		return statSync(path).isDirectory() ? files(path) : [path];
	});
}

/** The source files outside the sample: a marker found there would not tell the sample apart. */
function sourceOutsideSample(root) {
	return files(root).filter((f) => !f.includes(join('lib', 'api', 'fixtures')) && !/\.test\.ts$/.test(f));
}

if (!existsSync(dir)) {
	console.error(`check-bundle: ${dir}/ does not exist: run \`npm run build\` first`);
	process.exit(1);
}
const wanted = markers();
const failures = [];
for (const marker of wanted) {
	const inSource = sourceOutsideSample('src').filter((f) => readFileSync(f, 'utf8').includes(marker));
	if (inSource.length > 0)
		failures.push(`marker "${marker}" is not sample-only: found in ${inSource.join(', ')}`);
}
const built = files(dir).filter((f) => /\.(js|html|json|css)$/.test(f));
for (const marker of wanted) {
	const found = built.filter((f) => readFileSync(f, 'utf8').includes(marker));
	if (expectSample && found.length === 0) failures.push(`${dir}: the sample's "${marker}" is missing`);
	if (!expectSample && found.length > 0)
		failures.push(
			`${dir}: the browser preview's sample is in the build ("${marker}" in ${found.join(', ')})`
		);
}
if (failures.length > 0) {
	for (const f of failures) console.error(`check-bundle: ${f}`);
	process.exit(1);
}
console.log(
	`check-bundle: ${dir}/ (${built.length} files) ${expectSample ? 'holds' : 'is free of'} the browser preview's sample`
);
