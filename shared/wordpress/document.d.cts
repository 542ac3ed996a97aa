/** Types of document.cjs (the WordPress inventory SSM Command document built from inventory.sh). */
import type { PatchingDocument } from "../patching/document.cjs";

export declare const content: PatchingDocument;
export declare function documentContent(): PatchingDocument;
export declare function runCommand(): string[];
