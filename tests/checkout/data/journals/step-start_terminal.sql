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
INSERT INTO "probe" VALUES(1.7961762328604488373e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623281127381318e+09,'f4aa2f8b-13a6-4882-a858-b134d9d40c17','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "f4aa2f8b-13a6-4882-a858-b134d9d40c17"}','done',1.79617623281480479242e+09,1.79617623282520365714e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "f4aa2f8b-13a6-4882-a858-b134d9d40c17", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617623282599926e+09,1.79617623283995413779e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "f4aa2f8b-13a6-4882-a858-b134d9d40c17", "ids": ["itm_d8542beb4e154f16"]}','{"units": 3}','done',1.79617623284930706022e+09,1.79617623285919404034e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617623286151862141e+09,1.79617623286981701853e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_662077cc0b574539"}','done',1.79617623287067365643e+09,1.79617623287362480162e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_662077cc0b574539"}',NULL,'sent',1.79617623287428283688e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
