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
INSERT INTO "probe" VALUES(1.79617623314975428583e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623308765625954e+09,'927e48b2-9e10-4bef-bc0d-97e9501ccc95','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "927e48b2-9e10-4bef-bc0d-97e9501ccc95"}','done',1.79617623309202933306e+09,1.79617623310879611971e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "927e48b2-9e10-4bef-bc0d-97e9501ccc95", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617623310983204843e+09,1.79617623312282848361e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "927e48b2-9e10-4bef-bc0d-97e9501ccc95", "ids": ["itm_e7a9f074b3d14020"]}','{"units": 3}','done',1.79617623313399481775e+09,1.79617623314511966705e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617623315124654774e+09,1.79617623316288805004e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_b49c1fcb7256413c"}','done',1.79617623316398739808e+09,1.79617623316794013978e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_b49c1fcb7256413c"}','{"payment_id": "pay_b49c1fcb7256413c", "status": "PAID", "paid": true}','done',1.79617623316891312601e+09,1.79617623322317242619e+09);
INSERT INTO "step" VALUES(7,1,'open_order','{"order_id": "927e48b2-9e10-4bef-bc0d-97e9501ccc95"}',NULL,'sent',1.79617623322415208815e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
