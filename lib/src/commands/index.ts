/**
 * The registry of `gaitid` commands. Each command lives in its own file in this folder and is
 * listed here once, in the order of the study.
 */
import type { Command } from "../cli/args";
import { simulateCommand } from "./simulate";
import { gaitCommand } from "./gait";
import { trainCommand } from "./train";
import { evaluateCommand } from "./evaluate";
import { generateCommand, mergeCommand } from "./generate";
import { identifiabilityCommand } from "./identifiability";
import { deriveCommand } from "./derive";
import { reportCommand } from "./report";
import { experimentCommand } from "./experiment";
import { reproduceCommand } from "./reproduce";

export const COMMANDS: Command[] = [
  simulateCommand,
  gaitCommand,
  deriveCommand,
  generateCommand,
  mergeCommand,
  trainCommand,
  evaluateCommand,
  identifiabilityCommand,
  reportCommand,
  experimentCommand,
  reproduceCommand,
];
