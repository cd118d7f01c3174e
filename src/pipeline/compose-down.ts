/** `docker compose down` of one project, its exit code checked: a release that did not go says so. */
import { composeErrorText, type ComposeCli, type ComposeProject, type ExecOptions } from "../adapters/compose-cli.js";
import { SlipwayError } from "../core/errors.js";

export async function composeDown(compose: ComposeCli, project: ComposeProject, options: ExecOptions = {}): Promise<void> {
  const result = await compose.exec(project, ["down", "--remove-orphans"], options);
  if (result.exitCode !== 0) {
    throw new SlipwayError("E_INTERNAL", `docker compose down of ${project.projectName} exited ${result.exitCode}: ${composeErrorText(result)}`);
  }
}
