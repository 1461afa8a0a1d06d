/**
 * A refused file's problems as data. Stand-ins until the generated bindings carry FileProblem and ProblemCode:
 * the generated ones replace this file, with the same names and fields.
 */

/** A stable snake_case code per kind of problem (the generated union narrows it). */
export type ProblemCode = string;

export type FileProblem = {
	file: string;
	/** 1-based; 0 when the problem concerns the whole file. */
	line: number;
	field: string;
	reason: string;
	code: ProblemCode;
};
