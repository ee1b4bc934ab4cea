/** 16 random bytes: 128 bits, far beyond guessing at any rate the landing page allows. */
const CODE_BYTES = 16;
/** base64url of 16 bytes without padding. */
export const INVITATION_CODE = /^[A-Za-z0-9_-]{22}$/;

export function newInvitationCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_BYTES));
  return base64url(bytes);
}

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The link a member hands to a friend. */
export const invitationLink = (publicUrl: string, code: string) => `${publicUrl.replace(/\/+$/, "")}/i/${code}`;
