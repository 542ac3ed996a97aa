/** Types of document.cjs (the SSM Command document built from the scripts). */
export interface DocumentParameter {
  type: "String";
  description: string;
  default: string;
  allowedValues?: string[];
  allowedPattern?: string;
}

export interface PatchingDocument {
  schemaVersion: "2.2";
  description: string;
  parameters: Record<string, DocumentParameter>;
  mainSteps: {
    action: "aws:runShellScript";
    name: string;
    precondition: { StringEquals: [string, string] };
    inputs: { timeoutSeconds: string; runCommand: string[] };
  }[];
}

export declare const content: PatchingDocument;
export declare function documentContent(): PatchingDocument;
export declare function runCommand(): string[];
