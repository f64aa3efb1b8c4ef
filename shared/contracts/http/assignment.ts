import { z } from "zod";

/** `PUT /api/assignment` (admins): whether new tickets are assigned round-robin on arrival. */
export const AssignmentSettingsRequest = z.strictObject({
  autoAssignNew: z.boolean({ error: "must be true or false" }),
});

/** `GET /api/assignment`: the setting, and who takes round-robin tickets now. */
export const AssignmentStatusDto = z.strictObject({
  autoAssignNew: z.boolean(),
  /** Agents online in the console (a connected socket), with their open tickets. */
  online: z.array(z.strictObject({ id: z.string(), name: z.string(), openAssigned: z.number() })),
});
export type AssignmentStatusDto = z.output<typeof AssignmentStatusDto>;

/** Who is assigned, and by whom; the payload of `ticket:assigned` (to the assignee only). */
export interface AssignmentNoticeDto {
  ticketId: string;
  number: string;
  subject: string;
  /** Who assigned it; null when Greydesk did, round-robin, as the ticket arrived. */
  by: { id: string; name: string } | null;
  roundRobin: boolean;
}
