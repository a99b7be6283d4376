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
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623349275827406e+09,'a70a0e5e-b3de-48fb-a53f-a1e081069fbf','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "a70a0e5e-b3de-48fb-a53f-a1e081069fbf"}','done',1.79617623349536347388e+09,1.79617623358421659471e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "a70a0e5e-b3de-48fb-a53f-a1e081069fbf", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617623358569669721e+09,1.79617623359731531148e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "a70a0e5e-b3de-48fb-a53f-a1e081069fbf", "ids": ["itm_3e563a1417ab48ce"]}','{"units": 3}','done',1.79617623360640859598e+09,1.79617623361695933348e+09);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
