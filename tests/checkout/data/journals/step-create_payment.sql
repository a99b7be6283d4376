BEGIN TRANSACTION;
CREATE TABLE cart (
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (sale_id, sku)
);
INSERT INTO "cart" VALUES(1,'8752601815904',1,0);
INSERT INTO "cart" VALUES(1,'8760913909969',2,1);
INSERT INTO "cart" VALUES(1,'8703082462811',0,2);
CREATE TABLE probe (at REAL);
INSERT INTO "probe" VALUES(1.79617623275601887705e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623270618462566e+09,'7a737475-288a-4f5c-bec0-ada9d1d9af63','1000001','active','{}',NULL);
CREATE TABLE step (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    kind TEXT NOT NULL,
    intent TEXT NOT NULL,
    result TEXT,
    state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'failed')),
    sent_at REAL NOT NULL,
    ended_at REAL
);
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "7a737475-288a-4f5c-bec0-ada9d1d9af63"}','done',1.79617623271212434763e+09,1.79617623272338962554e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "7a737475-288a-4f5c-bec0-ada9d1d9af63", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617623272412967679e+09,1.79617623273691081999e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "7a737475-288a-4f5c-bec0-ada9d1d9af63", "ids": ["itm_1dbf034871e44915"]}','{"units": 3}','done',1.79617623274623179436e+09,1.79617623275496101384e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.7961762327567424774e+09,1.79617623276435542109e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}',NULL,'sent',1.79617623276514124875e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
