import { describe, expect, it } from "vitest";
import { statsNotes } from "../../scripts/lib/demo-notes";

const VANITY = "Vanity URL: joins through the server's vanity link, which no source can label.";
const UNLABELLED = "Invites with no source: joins through invites nobody labelled (members' own, single-use ones); /invite recent shows their codes.";
const AMBIGUOUS = "Ambiguous: joins through different invites too close together for the invite counts to tell apart, and Discord's member search did not settle them.";

describe("statsNotes", () => {
  it.each([
    ["no rows needing a word", "Joins in the last 30 days: 16\nReddit Battlefield6: 16 (100.0%)", []],
    ["no vanity row (the vanity joins counted elsewhere)", "Joins in the last 30 days: 40\nReddit Battlefield6: 16 (40.0%)\n*Invites with no source*: 12 (30.0%)", [UNLABELLED]],
    ["a vanity row", "Joins in the last 30 days: 40\nVanity URL discord.gg/sim-lounge: 9 (22.5%)\nYouTube trailer: 11 (27.5%)", [VANITY]],
    ["every row", "Joins in the last 30 days: 40\n*Ambiguous* (more than one invite possible): 37 (92.5%)\nVanity URL discord.gg/sim-lounge: 1 (2.5%)\n*Invites with no source*: 2 (5.0%)", [VANITY, UNLABELLED, AMBIGUOUS]],
    ["a source named like a row", "Joins in the last 30 days: 3\nAmbiguous memes: 3 (100.0%)\nVanity URL: 1 (0.1%)", []],
    ["the words in the title only", "Vanity URL joins: 0\nNo joins recorded in this window yet.", []],
  ])("%s", (_, stats, notes) => {
    expect(statsNotes(stats)).toEqual(notes);
  });
});
