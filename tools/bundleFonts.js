// Copies the Japanese font the PDF reports need into resources/fonts, with its licence: IPA
// Gothic from Debian's fonts-ipafont-gothic (IPA Font License v1.0). Run by npm's postinstall
// and by the build; resources/fonts is not committed. Plain JavaScript so it runs before
// anything is built. Without the Debian package it says so and leaves Japanese PDFs refused
// with a sentence (English PDFs do not need it).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'resources', 'fonts');
const font = process.env.WALKSCOPE_JAPANESE_FONT ?? '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf';
const licence = '/usr/share/doc/fonts-ipafont-gothic/copyright';

if (!existsSync(font)) {
  console.log(`walkscope fonts: ${font} not found (Debian package fonts-ipafont-gothic); Japanese PDF reports will be refused until it is installed and \`node tools/bundleFonts.js\` is run.`);
  process.exit(0);
}
mkdirSync(target, { recursive: true });
copyFileSync(font, join(target, 'ipag.ttf'));
const licenceText = existsSync(licence) ? readFileSync(licence, 'utf8') : 'IPA Font License Agreement v1.0: https://moji.or.jp/ipafont/license/ (the licence text was not found on the build machine).\n';
writeFileSync(join(target, 'LICENSE-IPA-Font.txt'), `IPA Gothic (ipag.ttf), copied from ${font} for WalkScope's Japanese PDF reports.\n\n${licenceText}`);
console.log(`walkscope fonts: ${font} -> resources/fonts/ipag.ttf (IPA Font License, in resources/fonts/LICENSE-IPA-Font.txt)`);
