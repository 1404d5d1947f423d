// The error a bad SQL92 subscription expression produces: INVALID_ARGUMENT carrying broker reply code 23
// SUBSCRIPTION_PARSE_FAILED; its message (the pull reply's remark) names the line/column and what went wrong.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';

export class Sql92ParseError extends RocketMQError {
  /** The expression that failed. */
  readonly expression: string;
  /** 0-based offset of the offending character or token. */
  readonly position: number;
  /** 1-based line and column of `position`. */
  readonly line: number;
  readonly column: number;

  constructor(expression: string, position: number, detail: string) {
    const { line, column } = lineColumn(expression, position);
    super(ERROR_CODES.INVALID_ARGUMENT, `Invalid MessageSelector at line ${line}, column ${column}: ${detail}`, {
      responseCode: ResponseCode.SUBSCRIPTION_PARSE_FAILED,
    });
    this.name = 'Sql92ParseError';
    this.expression = expression;
    this.position = position;
    this.line = line;
    this.column = column;
  }
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}
