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
INSERT INTO "probe" VALUES(1.79617611801624345781e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617611798684310908e+09,'671c5b91-5c12-42db-9a79-79cacd0b6e34','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "671c5b91-5c12-42db-9a79-79cacd0b6e34"}','done',1.79617611798859643933e+09,1.79617611799627852446e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "671c5b91-5c12-42db-9a79-79cacd0b6e34", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617611799676561356e+09,1.79617611800363397595e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "671c5b91-5c12-42db-9a79-79cacd0b6e34", "ids": ["itm_a8a21f5a8f8b468a"]}','{"units": 3}','done',1.7961761180090987682e+09,1796176118.01539);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617611801682639125e+09,1.79617611802437233924e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_585ae2c9950941f4"}','done',1.79617611802523279192e+09,1796176118.02755);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_585ae2c9950941f4"}','{"payment_id": "pay_585ae2c9950941f4", "status": "PENDING", "paid": false, "read_back": true}','done',1.79617611802813935276e+09,1.79617611808296918866e+09);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
