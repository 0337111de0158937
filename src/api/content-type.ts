import { posix } from "node:path";
import mime from "mime-types";

/** Content-Type from the file's extension; text types say they are UTF-8, unknown ones are plain bytes. */
export function contentTypeFor(path: string): string {
  // lookup() alone would read a bare name like "json" as an extension.
  const extension = posix.extname(path);
  const type = extension === "" ? false : mime.lookup(extension);
  if (type === false) return "application/octet-stream";
  return mime.contentType(type) || type;
}
