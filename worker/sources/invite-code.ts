/**
 * Accepts what an admin pastes: a bare code, discord.gg/CODE, or a
 * discord.com/invite/CODE link. Returns the code, or null when it cannot be one.
 */
export function parseInviteCode(input: string): string | null {
  const text = input.trim();
  const link = /^(?:https?:\/\/)?(?:www\.)?(?:discord\.gg|discord(?:app)?\.com\/invite)\/([^/?#\s]+)\/?(?:[?#].*)?$/i.exec(text);
  const code = link ? link[1]! : text;
  return /^[A-Za-z0-9-]{2,32}$/.test(code) ? code : null;
}
