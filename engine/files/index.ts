/**
 * Files as the engine sees them: the platform's path rules (paths.ts), finding a file as Windows
 * would (lookup.ts), and source bytes decoded to text (text.ts). engine/index.ts re-exports this.
 */
export { HOST_FLAVOR, HOST_PATHS, baseName, extensionOf, fileName, isWindowsRooted, isWithin, pathRules, writtenPathKey, type PathFlavor, type PathRules } from './paths';
export { caseMismatch, findFile, findFolder, locateFile, locateFolder, rulesOf, unreadableReason, withListingCache, type DirEntry, type Located, type ProjectFiles } from './lookup';
export { decodeSource, lineEndingOf, withLineEnding, type DecodedSource, type LineEnding, type SourceEncoding } from './text';
