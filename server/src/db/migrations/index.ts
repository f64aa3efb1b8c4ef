import { Foundation1764000000000 } from "./1764000000000-Foundation";
import { Sessions1764000000001 } from "./1764000000001-Sessions";
import { DeviceIntelligence1764000000002 } from "./1764000000002-DeviceIntelligence";
import { DeviceCatalogSeed1764000000003 } from "./1764000000003-DeviceCatalogSeed";
import { PortalAttachments1764000000020 } from "./1764000000020-PortalAttachments";
import { SlaPolicies1764000000030 } from "./1764000000030-SlaPolicies";
import { Rma1764000000031 } from "./1764000000031-Rma";
import { AssignmentViews1764000000032 } from "./1764000000032-AssignmentViews";
import { RmaSlaEventTypes1764000000033 } from "./1764000000033-RmaSlaEventTypes";
import { TicketSearch1764000000034 } from "./1764000000034-TicketSearch";
import { TicketContact1764000000041 } from "./1764000000041-TicketContact";
import { RegisterAndHandsetHistory1764000000062 } from "./1764000000062-RegisterAndHandsetHistory";
import { HandsetSearch1764000000063 } from "./1764000000063-HandsetSearch";
import { EmailDelivery1764000000070 } from "./1764000000070-EmailDelivery";
import { SignInLinks1764000000071 } from "./1764000000071-SignInLinks";
import { EmailChannel1764000000072 } from "./1764000000072-EmailChannel";
import { CustomerErasures1764000000120 } from "./1764000000120-CustomerErasures";

/** Every migration, oldest first. The same list runs on SQLite and PostgreSQL. */
export const migrations = [
  Foundation1764000000000,
  Sessions1764000000001,
  DeviceIntelligence1764000000002,
  DeviceCatalogSeed1764000000003,
  PortalAttachments1764000000020,
  SlaPolicies1764000000030,
  Rma1764000000031,
  AssignmentViews1764000000032,
  RmaSlaEventTypes1764000000033,
  TicketSearch1764000000034,
  TicketContact1764000000041,
  RegisterAndHandsetHistory1764000000062,
  HandsetSearch1764000000063,
  EmailDelivery1764000000070,
  SignInLinks1764000000071,
  EmailChannel1764000000072,
  CustomerErasures1764000000120,
];
