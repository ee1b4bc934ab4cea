import { describe, expect, it } from "vitest";
import { avatarUrl, displayName, readProfile } from "../../worker/members/profile";

const HASH = "0123456789abcdef0123456789abcdef";

describe("avatarUrl", () => {
  it.each([
    ["an avatar hash", "80351110224678912", { avatar: HASH, discriminator: null }, `https://cdn.discordapp.com/avatars/80351110224678912/${HASH}.png?size=64`],
    ["an animated hash (served as PNG)", "80351110224678912", { avatar: `a_${HASH}`, discriminator: null }, `https://cdn.discordapp.com/avatars/80351110224678912/a_${HASH}.png?size=64`],
    // New usernames: (user_id >> 22) % 6. 80351110224678912 >> 22 = 19157197529, % 6 = 5.
    ["no hash, a new username", "80351110224678912", { avatar: null, discriminator: null }, "https://cdn.discordapp.com/embed/avatars/5.png"],
    ["no hash, id 0", "0", { avatar: null, discriminator: null }, "https://cdn.discordapp.com/embed/avatars/0.png"],
    ["no hash, (id >> 22) % 6 = 2", String((8n << 22n) | 4_194_303n), { avatar: null, discriminator: null }, "https://cdn.discordapp.com/embed/avatars/2.png"],
    // Legacy tags: discriminator % 5.
    ["no hash, legacy tag 1337", "80351110224678912", { avatar: null, discriminator: "1337" }, "https://cdn.discordapp.com/embed/avatars/2.png"],
    ["no hash, legacy tag 0005", "80351110224678912", { avatar: null, discriminator: "0005" }, "https://cdn.discordapp.com/embed/avatars/0.png"],
    ["no hash, legacy tag 9999", "80351110224678912", { avatar: null, discriminator: "9999" }, "https://cdn.discordapp.com/embed/avatars/4.png"],
  ])("%s", (_, userId, profile, url) => expect(avatarUrl(userId, profile)).toBe(url));
});

describe("readProfile", () => {
  const user = { id: "80351110224678912", username: "nelly", global_name: "Nelly", avatar: HASH, discriminator: "0" };
  it.each([
    ["every field", { user, nick: "Nel" }, { username: "nelly", globalName: "Nelly", nick: "Nel", avatar: HASH, discriminator: null }],
    ["a legacy tag", { user: { ...user, discriminator: "1337" } }, { username: "nelly", globalName: "Nelly", nick: null, avatar: HASH, discriminator: "1337" }],
    ["no display name, no avatar", { user: { ...user, global_name: null, avatar: null } }, { username: "nelly", globalName: null, nick: null, avatar: null, discriminator: null }],
    ["Japanese and Cyrillic names", { user: { ...user, global_name: "山田太郎" }, nick: "Ёжик" }, { username: "nelly", globalName: "山田太郎", nick: "Ёжик", avatar: HASH, discriminator: null }],
    [
      "garbled or out-of-range fields read as unknown",
      { user: { ...user, username: "x".repeat(65), global_name: "\u202eevil", avatar: "../../etc", discriminator: "12a4" }, nick: "  " },
      { username: null, globalName: null, nick: null, avatar: null, discriminator: null },
    ],
    ["no user object", { nick: 5 }, { username: null, globalName: null, nick: null, avatar: null, discriminator: null }],
  ])("%s", (_, member, expected) => expect(readProfile(member)).toEqual(expected));
});

describe("displayName", () => {
  it.each([
    ["the nickname first", { username: "u", globalName: "G", nick: "N" }, "N"],
    ["else the display name", { username: "u", globalName: "G", nick: null }, "G"],
    ["else the username", { username: "u", globalName: null, nick: null }, "u"],
    ["none seen", { username: null, globalName: null, nick: null }, null],
  ])("%s", (_, p, expected) => expect(displayName(p)).toBe(expected));
});
