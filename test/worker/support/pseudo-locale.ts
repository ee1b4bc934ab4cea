/**
 * A pseudo-locale for tests only: every en-US message with its letters
 * accented and about 40 % longer, placeholders and ICU structure kept. Driving
 * the real formatters with it shows what a long translation does to Discord's limits.
 */
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { printAST } from "@formatjs/icu-messageformat-parser/printer.js";
import enUS from "../../../locales/en-US.json";

export const PSEUDO_LOCALE = "en-XA";

const ACCENTED: Record<string, string> = Object.fromEntries(
  [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((c, i) => [c, [..."àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"][i]!]),
);

/**
 * Words accented, but not Discord's own syntax (`` `code` ``, `<@id>`; the lone
 * letters of `<t:…:R>`), then 40 % more after the last word, before closing markdown.
 */
function pseudoText(text: string): string {
  const accented = text.replace(/(`[^`]*`|<[^>]*>)|([A-Za-z]{2,})/g, (whole, kept: string | undefined, word: string | undefined) =>
    kept ? whole : [...word!].map((c) => ACCENTED[c]!).join(""),
  );
  const letters = text.replace(/[^A-Za-z]/g, "").length;
  // A mention or timestamp opened here and closed after a placeholder (`<t:` … `:R>`) stays whole.
  const open = /<[^>]*$/.exec(accented)?.[0] ?? "";
  const body = accented.slice(0, accented.length - open.length);
  const padded = body.replace(/([^\s*_`~|>)\]:.,;!?]|$)([\s*_`~|>)\]:.,;!?]*)$/, `$1${"~".repeat(Math.ceil(text.length * 0.4))}$2`);
  return letters === 0 ? accented : padded + open;
}

function pseudoElements(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((element) => {
    if (element.type === TYPE.literal) return { ...element, value: pseudoText(element.value) };
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      return { ...element, options: Object.fromEntries(Object.entries(element.options).map(([k, o]) => [k, { ...o, value: pseudoElements(o.value) }])) };
    }
    return element;
  });
}

export const pseudoMessage = (message: string) => printAST(pseudoElements(parse(message, { ignoreTag: true })));

/** `mark` starts every message, so that two pseudo-catalogs standing in for two languages can be told apart. */
export const pseudoCatalog = (mark = ""): Record<string, string> => Object.fromEntries(Object.entries(enUS).map(([key, message]) => [key, mark + pseudoMessage(message)]));
