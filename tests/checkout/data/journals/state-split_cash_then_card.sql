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
INSERT INTO "probe" VALUES(1.79617623466521263118e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623460729932782e+09,'726083aa-086f-4ade-807d-719b094c02b2','1000001','active','{"change": 200}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "726083aa-086f-4ade-807d-719b094c02b2"}','done',1.79617623461177134507e+09,1796176234.62818);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "726083aa-086f-4ade-807d-719b094c02b2", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617623462892937657e+09,1.79617623464098691938e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "726083aa-086f-4ade-807d-719b094c02b2", "ids": ["itm_5f4cf122674a4949"]}','{"units": 3}','done',1.79617623465122532846e+09,1.79617623466402053832e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_cash", "drawer_main"]}','{}','done',1.79617623466599035265e+09,1.79617623467905163764e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 300, "known": []}','{"payment_id": "pay_b2c845d0ac054146"}','done',1.79617623468568611143e+09,1.79617623469400715828e+09);
INSERT INTO "step" VALUES(6,1,'pay_cash','{"payment_id": "pay_b2c845d0ac054146", "amount": 300, "tendered": 500}','{"payment_id": "pay_b2c845d0ac054146", "status": "PAID", "paid": true}','done',1.7961762347000157833e+09,1.79617623470526766773e+09);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
