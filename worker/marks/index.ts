// Invites that mark their members: the pure reading of marks (no I/O).
export { markedCodes, readMarks, type MemberRoles } from "./marks";
