/**
 * A web page's language: the browser's `Accept-Language`, then the server's
 * language. The response says which (`Content-Language`) and that it depends
 * on the header (`Vary`), so a cache never serves one reader's language to another.
 */
import type { Context } from "hono";
import { SOURCE_LOCALE, type Locale } from "./locales";
import { messages, type Messages } from "./messages";
import { pageLocale } from "./resolve";

export function pageMessages(c: Context, server: Locale = SOURCE_LOCALE): Messages {
  const m = messages(pageLocale(c.req.header("Accept-Language"), server));
  // The language the page is in: English for a shipped language not translated yet.
  c.header("Content-Language", m.locale);
  c.header("Vary", "Accept-Language");
  return m;
}
