// The bare baseline for `npm run bench`: Express 5 and one INSERT per request through the same
// sqlite3 driver, with the same durability settings as Greydesk (WAL, synchronous=FULL).
// Nothing else: no validation, no ORM, no transaction queue, no events.
"use strict";
const express = require("express");
const sqlite3 = require("sqlite3");

const file = process.env.BASELINE_DB;
const db = new sqlite3.Database(file);
db.serialize(() => {
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA synchronous = FULL");
  db.run("PRAGMA busy_timeout = 5000");
  db.run(
    "CREATE TABLE IF NOT EXISTS tickets (id INTEGER PRIMARY KEY, email TEXT, imei TEXT, subject TEXT, description TEXT, createdAt TEXT)",
  );
});

const app = express();
app.use(express.json({ limit: "256kb" }));
app.post("/baseline", (req, res) => {
  const b = req.body;
  db.run(
    "INSERT INTO tickets (email, imei, subject, description, createdAt) VALUES (?, ?, ?, ?, ?)",
    [b.email, b.imei, b.subject, b.description, new Date().toISOString()],
    function (error) {
      if (error) {
        res.status(500).json({ error: String(error) });
      } else {
        res.status(201).json({ id: this.lastID });
      }
    },
  );
});
const server = app.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => db.close(() => process.exit(0))));
