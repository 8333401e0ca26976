export declare function describeValidatorsAgainstSpec(protocol: string, validators: Record<string, unknown>): void;
export declare function describeTypesAgainstSpec(protocol: string, types: Record<string, unknown>): void;
export declare function describePublicApi(packageDir: string): void;
