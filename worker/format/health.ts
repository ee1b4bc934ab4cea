import type { APIEmbed } from "discord-api-types/payloads/v10";
import type { HealthLine, Level } from "../health/report";
import { fitLines } from "./text";
import type { MessageKey, Messages } from "../i18n/messages";

const MARK: Record<Level, string> = { ok: "✅", warn: "⚠️", bad: "❌" };
const VERDICT: Record<Level, MessageKey> = { ok: "health.verdict.ok", warn: "health.verdict.warn", bad: "health.verdict.bad" };
const COLOUR: Record<Level, number> = { ok: 0x2ecc71, warn: 0xf1c40f, bad: 0xe74c3c };

/** `/invite health`: one embed, the overall verdict on top, then a line per concern with what to do. */
export function formatHealth(lines: HealthLine[], verdict: Level, m: Messages): APIEmbed {
  return {
    title: m.t("health.title", { mark: MARK[verdict], verdict: m.t(VERDICT[verdict]) }),
    color: COLOUR[verdict],
    description: fitLines(lines.map((l) => `${MARK[l.level]} **${l.topic}:** ${l.text}${l.action ? `\n  ↳ ${l.action}` : ""}`), undefined, m),
  };
}
