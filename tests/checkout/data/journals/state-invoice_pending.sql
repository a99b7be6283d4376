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
INSERT INTO "probe" VALUES(1.79617623388785886762e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623384360671043e+09,'1c914c1b-a839-4f29-8099-fbe4e5773789','1000001','invoice_pending','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "1c914c1b-a839-4f29-8099-fbe4e5773789"}','done',1.7961762338487553596e+09,1.79617623385885596268e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "1c914c1b-a839-4f29-8099-fbe4e5773789", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617623385950779917e+09,1.79617623386978125573e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "1c914c1b-a839-4f29-8099-fbe4e5773789", "ids": ["itm_067ba0496a634842"]}','{"units": 3}','done',1.79617623387856984134e+09,1.79617623388665580749e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1796176233.88853,1.79617623389569067951e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_af8146c79d124bc7"}','done',1.79617623389673066141e+09,1.79617623390049147612e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_af8146c79d124bc7"}','{"payment_id": "pay_af8146c79d124bc7", "status": "PAID", "paid": true}','done',1.79617623390108227727e+09,1.79617623395488262179e+09);
INSERT INTO "step" VALUES(7,1,'open_order','{"order_id": "1c914c1b-a839-4f29-8099-fbe4e5773789"}','{"status": "OPEN"}','done',1.79617623395590543747e+09,1.79617623396218037607e+09);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
