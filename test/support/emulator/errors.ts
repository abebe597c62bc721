export interface FieldError {
  code: string;
  message: string;
}

/** Discord's nested error tree: `{ field: { 0: { name: { _errors: [...] } } } }`. */
export interface ErrorTree {
  _errors?: FieldError[];
  [key: string]: ErrorTree | FieldError[] | undefined;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: ErrorTree,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}), ...this.extra };
  }
}

export const Errors = {
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
  notFound: () => new ApiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new ApiError(405, 0, '405: Method Not Allowed'),
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
  unknownMember: () => new ApiError(404, 10007, 'Unknown Member'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
  unknownRole: () => new ApiError(404, 10011, 'Unknown Role'),
  unknownUser: () => new ApiError(404, 10013, 'Unknown User'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
  unknownApplication: () => new ApiError(404, 10002, 'Unknown Application'),
  unknownCommand: () => new ApiError(404, 10063, 'Unknown application command'),
  unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
  missingAccess: () => new ApiError(403, 50001, 'Missing Access'),
  missingPermissions: () => new ApiError(403, 50013, 'Missing Permissions'),
  emptyMessage: () => new ApiError(400, 50006, 'Cannot send an empty message'),
  cannotEditOthers: () => new ApiError(403, 50005, 'Cannot edit a message authored by another user'),
  wrongChannelType: () => new ApiError(400, 50024, 'Cannot execute action on this channel type'),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged'),
  threadAlreadyCreated: () => new ApiError(400, 160004, 'A thread has already been created for this message'),
  threadLocked: () => new ApiError(403, 50083, 'Thread is archived'),
  maxActiveThreads: () => new ApiError(400, 160006, 'Maximum number of active threads reached'),
  invalidFormBody: (errors: ErrorTree) => new ApiError(400, 50035, 'Invalid Form Body', errors),
} as const;

export class ErrorCollector {
  readonly tree: ErrorTree = {};
  count = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node: ErrorTree = this.tree;
    for (const segment of path) {
      const key = String(segment);
      const next = node[key];
      if (next === undefined || Array.isArray(next)) {
        const created: ErrorTree = {};
        node[key] = created;
        node = created;
      } else {
        node = next;
      }
    }
    const list = (node._errors ??= []);
    if (list.some((e) => e.code === code && e.message === message)) return;
    list.push({ code, message });
    this.count++;
  }

  throwIfAny(): void {
    if (this.count > 0) throw Errors.invalidFormBody(this.tree);
  }
}
