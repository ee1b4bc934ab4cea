import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { classifyWriteError } from "../../worker/guild-invites/outbox";

/** What the Neon driver throws for a server error: a DatabaseError carrying the SQLSTATE. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
const wrapped = (cause: unknown) => new DrizzleQueryError("insert into invites …", [], cause as Error);

describe("classifyWriteError", () => {
  it.each([
    ["integer out of range", wrapped(pgError("22003", "value out of range for type integer"))],
    ["a date Postgres has not", wrapped(pgError("22008", "date/time field value out of range"))],
    ["a check constraint", wrapped(pgError("23514", "violates check constraint"))],
    ["a foreign key", pgError("23503", "violates foreign key constraint")],
    ["an index row too large", wrapped(pgError("54000", "index row size exceeds maximum"))],
    ["a time toISOString cannot write", new RangeError("Invalid time value")],
  ])("%s is permanent", (_label, error) => {
    expect(classifyWriteError(error)).toMatchObject({ permanent: true });
  });

  it.each([
    ["a lost connection", new Error("Network connection lost.")],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })],
    ["a serialization failure", wrapped(pgError("40001", "could not serialize access"))],
    ["a statement timeout", wrapped(pgError("57014", "canceling statement due to statement timeout"))],
    ["a missing table (migrations not applied)", wrapped(pgError("42P01", 'relation "invites" does not exist'))],
    ["Postgres shutting down", wrapped(pgError("57P01", "terminating connection due to administrator command"))],
    ["a thrown string", "boom"],
  ])("%s is retried", (_label, error) => {
    expect(classifyWriteError(error)).toEqual({ permanent: false });
  });

  it("names the SQLSTATE and the driver's message in the reason", () => {
    expect(classifyWriteError(wrapped(pgError("22003", "value out of range")))).toEqual({ permanent: true, reason: "SQLSTATE 22003: value out of range" });
  });
});
