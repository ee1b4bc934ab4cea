/**
 * Discord's multipart message bodies (files): `payload_json` holds the JSON
 * body and `files[n]` the attachments. Text files only: the fake keeps their
 * content as a string for tests to read.
 */

export interface UploadedFile {
  id: number;
  filename: string;
  content: string;
}

export function parseMultipart(raw: string, contentType: string): { json: string; files: UploadedFile[] } | null {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return null;
  let json = "";
  const files: UploadedFile[] = [];
  for (const part of raw.split(`--${boundary}`).slice(1)) {
    if (part.startsWith("--")) break;
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const content = part.slice(split + 4).replace(/\r\n$/, "");
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (name === "payload_json") json = content;
    const file = /^files\[(\d+)\]$/.exec(name ?? "");
    if (file && filename !== undefined) files.push({ id: Number(file[1]), filename, content });
  }
  return { json, files };
}
