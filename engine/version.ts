/** Bumped when the scenario format or the JSON run report changes shape. */
export const ENGINE_VERSION = '0.1.0';
