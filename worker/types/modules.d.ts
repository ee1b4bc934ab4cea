// Non-JavaScript modules the Worker imports (wrangler.toml [[rules]] and its defaults).
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
declare module "*.ttf" {
  const bytes: ArrayBuffer;
  export default bytes;
}
