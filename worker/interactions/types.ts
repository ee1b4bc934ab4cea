/** The parts of Discord's interaction payload the bot reads; everything is checked before use. */
export interface IncomingInteraction {
  id: string;
  type: number;
  token: string;
  application_id: string;
  guild_id?: string;
  channel_id?: string;
  member?: { permissions?: string; user?: { id: string } };
  user?: { id: string };
  data?: {
    name?: string;
    options?: Array<{ name: string; type: number; value?: string | number | boolean; focused?: boolean; options?: [] }>;
    resolved?: Record<string, Record<string, unknown>>;
  };
}

export const InteractionType = {
  Ping: 1,
  ApplicationCommand: 2,
  MessageComponent: 3,
  Autocomplete: 4,
  ModalSubmit: 5,
} as const;

/** A minimal shape check: a signed body is still outside input. */
export function isInteraction(value: unknown): value is IncomingInteraction {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === "number" && typeof v.id === "string" && typeof v.token === "string" && typeof v.application_id === "string";
}
