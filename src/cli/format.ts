/** Output formats shared by the commands that print data. */
import { stringify } from "yaml";
import { SlipwayError } from "../app/errors.js";

export type Format = "yaml" | "json";

export function parseFormat(value: string | undefined): Format {
  if (value === undefined || value === "yaml" || value === "json") return value ?? "yaml";
  throw new SlipwayError("E_USAGE", `--format ${value}: choose yaml or json`);
}

export function renderData(data: unknown, format: Format): string {
  if (format === "json") return `${JSON.stringify(data, null, 2)}\n`;
  return stringify(data, { lineWidth: 0, aliasDuplicateObjects: false });
}
