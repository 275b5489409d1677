/**
 * Driver projects: what a driver is made of (units, include directories, definitions, a name),
 * read from a .vcxproj, a folder or a list of C files. engine/index.ts re-exports this module.
 */
export { KERNEL_HEADERS, includesKernelHeader, isCppSource, lintUnits, type DriverProject, type ProjectNote, type ProjectSource } from './model';
export { cFilesIn, definesDriverEntry, fileListProject, folderProject, loadProject, specForPath, type ProjectSpec } from './load';
export { readVcxproj, PREFERRED_CONFIGURATION } from './vcxproj';
export { discoverProjects, includedHeaders, isKernelMode, nonDriverBuild, projectOfFile, type Discovery } from './discover';
