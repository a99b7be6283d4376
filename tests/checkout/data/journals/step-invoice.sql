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
INSERT INTO "probe" VALUES(1.79617623330041599276e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623326383805274e+09,'c013dbdf-e289-48c8-b74c-d676227f1981','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "c013dbdf-e289-48c8-b74c-d676227f1981"}','done',1.79617623326608657832e+09,1.79617623327391982075e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "c013dbdf-e289-48c8-b74c-d676227f1981", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617623327451801304e+09,1.79617623328181958202e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "c013dbdf-e289-48c8-b74c-d676227f1981", "ids": ["itm_cbd112f41ff44120"]}','{"units": 3}','done',1.79617623328844857209e+09,1.79617623329914569856e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617623330176043512e+09,1.79617623330797958371e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_06757fbf29684bf3"}','done',1.79617623330998849862e+09,1.7961762333124449253e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_06757fbf29684bf3"}','{"payment_id": "pay_06757fbf29684bf3", "status": "PAID", "paid": true}','done',1.79617623331301546098e+09,1.79617623336694979662e+09);
INSERT INTO "step" VALUES(7,1,'open_order','{"order_id": "c013dbdf-e289-48c8-b74c-d676227f1981"}','{"status": "OPEN"}','done',1.79617623336779975887e+09,1.79617623337706398961e+09);
INSERT INTO "step" VALUES(8,1,'invoice','{"ids": ["itm_00abfa5017044b8a", "itm_69745c5cb9e046b0", "itm_dc0ab19ea3b44e39"], "invoice_id": null, "known": []}',NULL,'sent',1.79617623344018745423e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
