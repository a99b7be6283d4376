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
INSERT INTO "probe" VALUES(1.79617611760185217858e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617611757379317281e+09,'2412f63e-a6ac-43f8-9a6d-b68333597e79','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "2412f63e-a6ac-43f8-9a6d-b68333597e79"}','done',1.79617611757571887971e+09,1.7961761175844085216e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "2412f63e-a6ac-43f8-9a6d-b68333597e79", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617611758484482763e+09,1.79617611759088945393e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "2412f63e-a6ac-43f8-9a6d-b68333597e79", "ids": ["itm_822f18ddea6a4211"]}','{"units": 3}','done',1.79617611759607672698e+09,1.79617611760113406182e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617611760234546659e+09,1.79617611760700893403e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_05f4681784f64d57"}','done',1.79617611760747027398e+09,1.79617611760917854314e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_05f4681784f64d57"}','{"payment_id": "pay_05f4681784f64d57", "status": "PAID", "paid": true}','done',1.79617611760966420174e+09,1.79617611766247725485e+09);
INSERT INTO "step" VALUES(7,1,'open_order','{"order_id": "2412f63e-a6ac-43f8-9a6d-b68333597e79"}',NULL,'sent',1.79617611766332912438e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
