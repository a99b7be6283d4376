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
INSERT INTO "probe" VALUES(1.79617623302246379852e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623297176837917e+09,'be084efc-7919-434a-b40e-babdc5c4a11b','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "be084efc-7919-434a-b40e-babdc5c4a11b"}','done',1.79617623297459149366e+09,1.79617623298892688755e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "be084efc-7919-434a-b40e-babdc5c4a11b", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617623298967647553e+09,1.79617623300082492826e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "be084efc-7919-434a-b40e-babdc5c4a11b", "ids": ["itm_5f5f106b4d4041e1"]}','{"units": 3}','done',1.79617623301070690154e+09,1.79617623302081513402e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_cash", "drawer_main"]}','{}','done',1.796176233023629427e+09,1.79617623303380775454e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_7a770aeb1e6b4df9"}','done',1.79617623303491401667e+09,1.79617623303881812093e+09);
INSERT INTO "step" VALUES(6,1,'pay_cash','{"payment_id": "pay_7a770aeb1e6b4df9", "amount": 657, "tendered": 10000}',NULL,'sent',1.79617623303950595852e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
