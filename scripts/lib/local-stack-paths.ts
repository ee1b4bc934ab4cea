import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Development data, kept between runs of `npm start`. */
export const DEV_POSTGRES_DIR = path.join(ROOT, ".data", "postgres");
