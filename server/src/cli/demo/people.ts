/**
 * The people of the demo: the desk's team and its customers. Every name is made up; every
 * customer address is at example.com or example.net (RFC 2606), so no mail can reach anyone.
 */

/** The one password of every demo account. Published on purpose: demo data only. */
export const DEMO_PASSWORD = "greydesk-demo-2026";

export const DEMO_ADMIN = {
  email: "admin@demo.greydesk.test",
  password: DEMO_PASSWORD,
  /** The bootstrap creates "Administrator"; the demo renames it through the API. */
  name: "Renee Castillo",
};

export interface DemoAgent {
  key: "priya" | "derek" | "alicia";
  email: string;
  name: string;
  role: "admin" | "agent";
  /** Share of the tickets this agent picks up. */
  weight: number;
}

export const DEMO_AGENTS: readonly DemoAgent[] = [
  {
    key: "priya",
    email: "priya.natarajan@demo.greydesk.test",
    name: "Priya Natarajan",
    role: "agent",
    weight: 36,
  },
  {
    key: "derek",
    email: "derek.chu@demo.greydesk.test",
    name: "Derek Chu",
    role: "agent",
    weight: 30,
  },
  {
    key: "alicia",
    email: "alicia.moreno@demo.greydesk.test",
    name: "Alicia Moreno",
    role: "agent",
    weight: 24,
  },
];

export interface DemoCustomer {
  name: string;
  /** How an agent greets them. */
  first: string;
  email: string;
  phone: string | null;
}

/**
 * [full name, first name when it is not the first word, email local part when it cannot be
 * derived from the name]. Vietnamese, Chinese and Arabic names keep their own order and script.
 */
const NAMES: readonly (readonly [string, string?, string?])[] = [
  ["Maria Gonzalez"],
  ["James Carter"],
  ["José Álvarez"],
  ["Aisha Bello"],
  ["Nguyễn Thị Mai", "Mai", "mai.nguyen"],
  ["Kevin O'Brien"],
  ["Priscila Gonçalves"],
  ["ليلى حداد", "ليلى", "layla.haddad"],
  ["王小明", "小明", "xiaoming.wang"],
  ["Zoë Bergström"],
  ["François Lefèvre"],
  ["Tyrone Jackson"],
  ["Emily Nguyen"],
  ["Rafael Ortiz"],
  ["Samantha Reed"],
  ["Dmitri Volkov"],
  ["Hannah Schmidt"],
  ["Ahmed Khan"],
  ["Olivia Martin"],
  ["Björn Andersson"],
  ["Chloé Dubois"],
  ["DeShawn Williams"],
  ["Fatima Al-Sayed"],
  ["Ryan Mitchell"],
  ["Ana Lucía Herrera", "Ana Lucía", "analucia.herrera"],
  ["Wei Zhang"],
  ["Jennifer Brooks"],
  ["Luis Fernández"],
  ["Keisha Robinson"],
  ["Siddharth Rao"],
  ["Megan Sullivan"],
  ["Oluwaseun Adeyemi"],
  ["Brandon Lee"],
  ["Søren Kjær", "Søren", "soren.kjaer"],
  ["Gabriela Ruiz"],
  ["Tyler Anderson"],
  ["Hiroshi Tanaka"],
  ["Ashley Davis"],
  ["Carlos Mendoza"],
  ["Naomi Goldberg"],
  ["Mohammed Rahman"],
  ["Lauren Hughes"],
  ["Andrés Peña"],
  ["Jasmine Patel"],
  ["Eric Svensson"],
  ["Yolanda Washington"],
  ["Minh Tran"],
  ["Rebecca Foster"],
  ["Ivan Petrov"],
  ["Destiny Harris"],
  ["Marco Rossi"],
  ["Kayla Thompson"],
  ["Omar Farouk"],
  ["Brianna Scott"],
  ["Juan Pablo Castro", "Juan Pablo", "juanpablo.castro"],
  ["Heather Collins"],
  ["陈静", "陈静", "jing.chen"],
  ["Nicole Bennett"],
  ["Raúl Domínguez"],
  ["Amanda Price"],
  ["Kwame Mensah"],
  ["Stephanie Ward"],
  ["Vikram Singh"],
  ["Courtney Howard"],
  ["Mateo Silva"],
  ["Danielle Kim"],
  ["Patrick Murphy"],
  ["Imani Carter"],
  ["Sergio Morales"],
  ["Rachel Cohen"],
  ["Tuan Pham"],
  ["Lindsey Parker"],
  ["Alejandro Vargas"],
  ["Whitney Coleman"],
  ["Yusuf Demir"],
  ["Crystal Jenkins"],
  ["Noah Fischer"],
  ["Guadalupe Reyes"],
  ["Justin Wright"],
  ["Mei Lin"],
  ["Anthony Russo"],
  ["Erin McCarthy"],
  ["Ricardo Gómez"],
  ["Tanisha Greene"],
  ["Lucas Moreau"],
  ["Victoria Chang"],
  ["Darnell Simmons"],
  ["Elena Popescu"],
  ["Samuel Okoro"],
  ["Brittany Powell"],
  ["Diego Navarro"],
  ["Kristen Olsen"],
  ["Hamza Qureshi"],
  ["Alexis Rivera"],
  ["Sean Gallagher"],
  ["Marisol Castañeda"],
  ["Jordan Taylor"],
  ["Anjali Mehta"],
  ["Cody Harper"],
  ["Renata Kowalski"],
];

const AREA_CODES = ["212", "305", "312", "415", "469", "503", "617", "702", "713", "919"];

/** "Zoë Bergström" -> "zoe.bergstrom"; apostrophes and hyphens dropped. */
function emailLocal(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .toLowerCase()
    .replace(/['-]/g, "")
    .trim()
    .split(/\s+/)
    .join(".");
}

/**
 * The customers, in a fixed order. Addresses vary the way real ones do (first.last, flast,
 * with a number) but stay on the reserved example domains; phone numbers are in 555-01xx,
 * the range reserved for fiction.
 */
export function demoCustomers(count: number): DemoCustomer[] {
  return NAMES.slice(0, count).map(([name, first, local], i) => {
    const base = local ?? emailLocal(name);
    const [given, ...rest] = base.split(".");
    const styles = [
      base,
      `${given[0]}${rest.join("")}`,
      `${base}${(i * 7) % 90}`,
      `${given}${rest.join("")}`,
    ];
    const domain = i % 3 === 2 ? "example.net" : "example.com";
    return {
      name,
      first: first ?? name.split(" ")[0],
      email: `${styles[i % styles.length]}@${domain}`,
      phone:
        i % 4 === 3
          ? null
          : `(${AREA_CODES[i % AREA_CODES.length]}) 555-01${String(i % 100).padStart(2, "0")}`,
    };
  });
}

/** How many customers the demo can name. */
export const MAX_CUSTOMERS = NAMES.length;
