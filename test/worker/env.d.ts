declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    wsProxy: string;
    discordApiBase: string;
    discordPublicKey: string;
    discordPrivateKeyJwk: JsonWebKey;
  }
}
export {};
