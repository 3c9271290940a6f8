/**
 * The registry of `gaitid` commands. Each command lives in its own file in this folder and is
 * listed here once, in the order of the study.
 */
import type { Command } from "../cli/args";

export const COMMANDS: Command[] = [];
