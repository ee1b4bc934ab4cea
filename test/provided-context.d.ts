// What the global setup (Node) hands the tests (Node and workerd) through provide/inject.
declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** host:port of the WebSocket→TCP proxy; POST /_control/outage?down=1 cuts Postgres off. */
    wsProxy: string;
    discordApiBase: string;
    discordPublicKey: string;
    /** The matching Ed25519 private key, as a JWK, to sign interactions like Discord. */
    discordPrivateKeyJwk: Record<string, unknown>;
  }
}
export {};
