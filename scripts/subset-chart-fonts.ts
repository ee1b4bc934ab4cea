/**
 * Makes the CJK fonts the chart renderer ships (worker/charts/fonts/): full
 * Noto Sans JP, KR and SC weigh 5-10 MB each, more than a Worker may bundle, so
 * each keeps the characters in everyday use, as the national standards list them:
 * - JP: kana, CJK punctuation, full-width forms, and JIS X 0208 level 1 kanji;
 * - KR: the 2,350 hangul syllables of KS X 1001;
 * - SC: GB 2312 level 1 hanzi, less those the JP font already draws.
 * Latin (Polish, Turkish…) and Cyrillic come from Inter. Run after changing a
 * font package: `npx tsx scripts/subset-chart-fonts.ts` (subset-font, harfbuzz's hb-subset).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import subsetFont from "subset-font";

const require = createRequire(import.meta.url);

/** The characters of a double-byte legacy encoding's rows `first..last` (cells A1..FE), decoded through the WHATWG decoder. */
function legacyRows(encoding: string, first: number, last: number): string {
  const decoder = new TextDecoder(encoding, { fatal: false });
  let out = "";
  for (let row = first; row <= last; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      const ch = decoder.decode(new Uint8Array([row, cell]));
      if (ch !== "\uFFFD" && ch.length > 0) out += ch;
    }
  }
  return out;
}

const range = (from: number, to: number) => String.fromCodePoint(...Array.from({ length: to - from + 1 }, (_, i) => from + i));

const jisLevel1 = legacyRows("euc-jp", 0xb0, 0xcf);
const kana = range(0x3000, 0x30ff) + range(0xff01, 0xff5e);
const hangul = legacyRows("euc-kr", 0xb0, 0xc8);
const gbLevel1 = [...legacyRows("gb18030", 0xb0, 0xd7)].filter((ch) => !jisLevel1.includes(ch)).join("");

const fonts = [
  { out: "noto-sans-jp-subset.ttf", from: "@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf", text: kana + jisLevel1 },
  { out: "noto-sans-kr-subset.ttf", from: "@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf", text: hangul },
  { out: "noto-sans-sc-subset.ttf", from: "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf", text: gbLevel1 },
];

for (const font of fonts) {
  const subset = await subsetFont(fs.readFileSync(require.resolve(font.from)), font.text, { targetFormat: "truetype" });
  fs.writeFileSync(new URL(`../worker/charts/fonts/${font.out}`, import.meta.url), subset);
  console.log(`${font.out}: ${[...font.text].length} characters, ${(subset.length / 1024).toFixed(0)} KiB`);
}
