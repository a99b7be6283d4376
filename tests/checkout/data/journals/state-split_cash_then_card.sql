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
INSERT INTO "probe" VALUES(1.79617611889826083188e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617611886348938939e+09,'2e99541b-9d71-4f7f-a422-266af466cb31','1000001','active','{"change": 200}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "2e99541b-9d71-4f7f-a422-266af466cb31"}','done',1.79617611886586928367e+09,1.79617611887565588953e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "2e99541b-9d71-4f7f-a422-266af466cb31", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617611887616944314e+09,1.79617611888360071185e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "2e99541b-9d71-4f7f-a422-266af466cb31", "ids": ["itm_5c93695eab854c1a"]}','{"units": 3}','done',1.79617611889031434063e+09,1.79617611889722061154e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_cash", "drawer_main"]}','{}','done',1.79617611889885544782e+09,1.7961761189072680473e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 300, "known": []}','{"payment_id": "pay_2c7404e70c6948ff"}','done',1.79617611890821576121e+09,1.79617611891072154043e+09);
INSERT INTO "step" VALUES(6,1,'pay_cash','{"payment_id": "pay_2c7404e70c6948ff", "amount": 300, "tendered": 500}','{"payment_id": "pay_2c7404e70c6948ff", "status": "PAID", "paid": true}','done',1.79617611891125345232e+09,1.79617611891338109977e+09);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
