"""The real catalog as plain data: providers, certifications with vendor rules, tracks, courses.

Each certification carries a demo-only `key` (how courses and demo pursuits refer to it) and an
`exam` entry (passing score, maximum score, voucher price in USD) that is not stored on the model.
Lessons are (title, kind, max score or None).
"""

PROVIDERS = [
    {"slug": "google", "name": "Google", "website": "https://grow.google/certificates/"},
    {"slug": "aws", "name": "Amazon Web Services",
     "website": "https://aws.amazon.com/certification/"},
    {"slug": "microsoft", "name": "Microsoft",
     "website": "https://learn.microsoft.com/credentials/"},
    {"slug": "cisco", "name": "Cisco",
     "website": "https://www.cisco.com/site/us/en/learn/training-certifications/index.html"},
    {"slug": "comptia", "name": "CompTIA", "website": "https://www.comptia.org/certifications"},
]

COURSERA = "https://www.coursera.org/account/accomplishments/professional-cert/{id}"
CREDLY = "https://www.credly.com/badges/{id}"
MICROSOFT_LEARN = "https://learn.microsoft.com/api/credentials/share/en-us/{id}"

# Google Career Certificates: Coursera programs, no exam voucher, no expiry.
_GOOGLE = {
    "provider": "google", "exam_code": None, "level": "certificate", "validity_months": None,
    "renewal_window_months": None, "voucher_validity_months": None, "retake_wait_days": None,
    "min_age": None, "guardian_acceptance_under": None, "verification_url_pattern": COURSERA,
    "readiness_threshold": 75, "exam": None,
}
# AWS: 36 months, retake after 14 days, 13+ with a guardian's consent under 18 (Pearson VUE).
_AWS = {
    "provider": "aws", "validity_months": 36, "renewal_window_months": None,
    "voucher_validity_months": None, "retake_wait_days": 14, "min_age": 13,
    "guardian_acceptance_under": 18, "verification_url_pattern": CREDLY, "readiness_threshold": 80,
}
# Microsoft: fundamentals never expire; role-based ones last 12 months, renewable in the last 6.
_MICROSOFT = {
    "provider": "microsoft", "voucher_validity_months": None, "retake_wait_days": 1, "min_age": 13,
    "guardian_acceptance_under": 18, "verification_url_pattern": MICROSOFT_LEARN,
    "readiness_threshold": 75,
}
_MS_FUNDAMENTALS = {**_MICROSOFT, "level": "fundamentals", "validity_months": None,
                    "renewal_window_months": None}
_MS_ROLE_BASED = {**_MICROSOFT, "level": "associate", "validity_months": 12,
                  "renewal_window_months": 6}
# Cisco CCST via Certiport: vouchers valid 12 months; credentials earned since 15 July 2025
# are valid for 5 years (earlier ones for life).
_CISCO = {
    "provider": "cisco", "level": "certificate", "validity_months": 60,
    "renewal_window_months": None, "voucher_validity_months": 12, "retake_wait_days": 1,
    "min_age": 13, "guardian_acceptance_under": 18, "verification_url_pattern": CREDLY,
    "readiness_threshold": 75, "exam": {"pass": 700, "max": 1000, "price": "125.00"},
}
# CompTIA: 36 months (renewable through continuing education), no wait before a first retake.
_COMPTIA = {
    "provider": "comptia", "validity_months": 36, "renewal_window_months": None,
    "voucher_validity_months": 12, "retake_wait_days": 0, "min_age": 13,
    "guardian_acceptance_under": 18, "verification_url_pattern": CREDLY, "readiness_threshold": 75,
}

CERTIFICATIONS = [
    {**_GOOGLE, "key": "google-it", "name": "Google IT Support Professional Certificate"},
    {**_GOOGLE, "key": "google-da", "name": "Google Data Analytics Professional Certificate"},
    {**_GOOGLE, "key": "google-cyber", "name": "Google Cybersecurity Professional Certificate"},
    {**_GOOGLE, "key": "google-ux", "name": "Google UX Design Professional Certificate"},
    {**_GOOGLE, "key": "google-pm", "name": "Google Project Management Professional Certificate"},
    {**_AWS, "key": "aws-clf", "name": "AWS Certified Cloud Practitioner", "exam_code": "CLF-C02",
     "level": "foundational", "exam": {"pass": 700, "max": 1000, "price": "100.00"}},
    {**_AWS, "key": "aws-aif", "name": "AWS Certified AI Practitioner", "exam_code": "AIF-C01",
     "level": "foundational", "exam": {"pass": 700, "max": 1000, "price": "100.00"}},
    {**_AWS, "key": "aws-saa", "name": "AWS Certified Solutions Architect – Associate",
     "exam_code": "SAA-C03", "level": "associate",
     "exam": {"pass": 720, "max": 1000, "price": "150.00"}},
    {**_AWS, "key": "aws-dva", "name": "AWS Certified Developer – Associate",
     "exam_code": "DVA-C02", "level": "associate",
     "exam": {"pass": 720, "max": 1000, "price": "150.00"}},
    {**_AWS, "key": "aws-soa", "name": "AWS Certified CloudOps Engineer – Associate",
     "exam_code": "SOA-C03", "level": "associate",
     "exam": {"pass": 720, "max": 1000, "price": "150.00"}},
    {**_MS_FUNDAMENTALS, "key": "az-900", "name": "Microsoft Certified: Azure Fundamentals",
     "exam_code": "AZ-900", "exam": {"pass": 700, "max": 1000, "price": "99.00"}},
    {**_MS_FUNDAMENTALS, "key": "ai-900", "name": "Microsoft Certified: Azure AI Fundamentals",
     "exam_code": "AI-900", "exam": {"pass": 700, "max": 1000, "price": "99.00"}},
    {**_MS_FUNDAMENTALS, "key": "dp-900", "name": "Microsoft Certified: Azure Data Fundamentals",
     "exam_code": "DP-900", "exam": {"pass": 700, "max": 1000, "price": "99.00"}},
    {**_MS_ROLE_BASED, "key": "az-104",
     "name": "Microsoft Certified: Azure Administrator Associate", "exam_code": "AZ-104",
     "exam": {"pass": 700, "max": 1000, "price": "165.00"}},
    {**_MS_ROLE_BASED, "key": "az-204", "name": "Microsoft Certified: Azure Developer Associate",
     "exam_code": "AZ-204", "exam": {"pass": 700, "max": 1000, "price": "165.00"}},
    {**_CISCO, "key": "ccst-net", "name": "Cisco Certified Support Technician (CCST) Networking",
     "exam_code": "100-150"},
    {**_CISCO, "key": "ccst-sec", "name": "Cisco Certified Support Technician (CCST) Cybersecurity",
     "exam_code": "100-160"},
    {**_COMPTIA, "key": "comptia-a", "name": "CompTIA A+", "exam_code": "220-1201 + 220-1202",
     "level": "foundational", "exam": {"pass": 675, "max": 900, "price": "253.00"}},
    {**_COMPTIA, "key": "comptia-sec", "name": "CompTIA Security+", "exam_code": "SY0-701",
     "level": "associate", "exam": {"pass": 750, "max": 900, "price": "404.00"}},
]

TRACKS = [
    {"code": "robotics", "name": "Робототехніка"},
    {"code": "cs", "name": "Комп'ютерні науки"},
    {"code": "cloud", "name": "Хмарні технології"},
]

COURSES = [
    {
        "code": "ROB-101", "track": "robotics", "level": "beginner", "audience": "school",
        "title": "Основи робототехніки з LEGO Education SPIKE Prime", "estimated_hours": 36,
        "description": "Збираємо та програмуємо перших роботів: мотори, датчики, блокове "
                       "програмування. Курс для учнів 5–8 класів, завершується командним проєктом.",
        "certifications": [],
        "modules": [
            ("Знайомство з робототехнікою", [
                ("Що таке робот: датчики, контролер, виконавчі механізми", "lesson", None),
                ("Конструктор SPIKE Prime і середовище програмування", "lesson", None),
                ("Перший рух: програмуємо мотори", "lab", 10),
                ("Тест: будова робота", "quiz", 10),
            ]),
            ("Датчики та керування", [
                ("Датчики кольору й відстані", "lesson", None),
                ("Цикли та умови в блоковому програмуванні", "lesson", None),
                ("Робот, що їде по лінії", "lab", 10),
                ("Тест: датчики", "quiz", 10),
            ]),
            ("Проєкт: робот-рятувальник", [
                ("Постановка задачі та ескіз конструкції", "lesson", None),
                ("Збирання та налагодження робота", "lab", 10),
                ("Захист командного проєкту", "project", 100),
            ]),
        ],
    },
    {
        "code": "ROB-201", "track": "robotics", "level": "intermediate", "audience": "school",
        "title": "Arduino: електроніка та програмування мікроконтролерів", "estimated_hours": 48,
        "description": "Від закону Ома до власного пристрою: макетна плата, датчики, сервоприводи "
                       "і мова C++ для Arduino. Підсумковий проєкт — розумна метеостанція.",
        "certifications": [],
        "modules": [
            ("Електроніка для початківців", [
                ("Струм, напруга, опір: закон Ома", "lesson", None),
                ("Макетна плата, резистори, світлодіоди", "lab", 10),
                ("Тест: основи електроніки", "quiz", 10),
            ]),
            ("Програмування Arduino", [
                ("Arduino IDE і структура скетчу: setup та loop", "lesson", None),
                ("Цифрові та аналогові входи", "lesson", None),
                ("Кнопка, потенціометр і ШІМ", "lab", 10),
                ("Послідовний порт і налагодження", "lesson", None),
            ]),
            ("Датчики й виконавчі пристрої", [
                ("Ультразвуковий далекомір HC-SR04", "lab", 10),
                ("Сервоприводи та двигуни постійного струму", "lab", 10),
                ("Тест: датчики та приводи", "quiz", 10),
            ]),
            ("Підсумковий проєкт", [
                ("Розумна метеостанція: планування", "lesson", None),
                ("Розумна метеостанція: реалізація та презентація", "project", 100),
            ]),
        ],
    },
    {
        "code": "ROB-301", "track": "robotics", "level": "advanced", "audience": "university",
        "title": "Вступ до ROS 2", "estimated_hours": 60,
        "description": "Robot Operating System 2 для студентів: вузли, топіки, сервіси, симуляція "
                       "в Gazebo та автономна навігація з Nav2.",
        "certifications": [],
        "modules": [
            ("Linux і середовище ROS 2", [
                ("Командний рядок Linux для робототехніків", "lesson", None),
                ("Встановлення ROS 2 і робочий простір colcon", "lab", 10),
                ("Тест: основи Linux", "quiz", 10),
            ]),
            ("Вузли, топіки, сервіси", [
                ("Вузли й топіки: модель publish/subscribe", "lesson", None),
                ("Пишемо вузол на Python (rclpy)", "lab", 10),
                ("Сервіси та дії", "lesson", None),
                ("Тест: комунікація в ROS 2", "quiz", 10),
            ]),
            ("Симуляція та навігація", [
                ("Опис робота в URDF і візуалізація в RViz", "lesson", None),
                ("Симуляція в Gazebo", "lab", 10),
                ("SLAM і стек навігації Nav2", "lesson", None),
                ("Автономна навігація в симуляторі", "project", 100),
            ]),
        ],
    },
    {
        "code": "CS-101", "track": "cs", "level": "beginner", "audience": "any",
        "title": "Основи програмування на Python", "estimated_hours": 40,
        "description": "Перша мова програмування: змінні, умови, цикли, колекції, функції та "
                       "робота з файлами. Багато практики й підсумковий проєкт.",
        "certifications": [],
        "modules": [
            ("Перші кроки", [
                ("Змінні, типи даних, введення й виведення", "lesson", None),
                ("Умови та цикли", "lesson", None),
                ("Практикум: калькулятор", "lab", 10),
                ("Тест: основи синтаксису", "quiz", 10),
            ]),
            ("Структури даних", [
                ("Списки й кортежі", "lesson", None),
                ("Словники та множини", "lesson", None),
                ("Практикум: телефонна книга", "lab", 10),
                ("Тест: колекції", "quiz", 10),
            ]),
            ("Функції та модулі", [
                ("Функції, параметри, повернення значень", "lesson", None),
                ("Модулі та стандартна бібліотека", "lesson", None),
                ("Робота з файлами й винятками", "lab", 10),
            ]),
            ("Підсумковий проєкт", [
                ("Проєкт: гра «Вгадай число» або чат-бот", "project", 100),
                ("Підсумковий тест", "quiz", 100),
            ]),
        ],
    },
    {
        "code": "CS-120", "track": "cs", "level": "beginner", "audience": "any",
        "title": "ІТ-підтримка, мережі та кібергігієна", "estimated_hours": 45,
        "description": "Апаратне забезпечення, операційні системи, мережі та безпека: база для "
                       "Google IT Support, Cisco CCST і CompTIA A+.",
        "certifications": ["google-it", "ccst-net", "ccst-sec", "comptia-a"],
        "modules": [
            ("Апаратне забезпечення", [
                ("Компоненти комп'ютера", "lesson", None),
                ("Збираємо й розбираємо ПК", "lab", 10),
                ("Тест: апаратне забезпечення", "quiz", 10),
            ]),
            ("Операційні системи", [
                ("Windows і Linux: встановлення та адміністрування", "lesson", None),
                ("Облікові записи, права доступу, оновлення", "lab", 10),
                ("Пошук і усунення несправностей", "lesson", None),
            ]),
            ("Мережі", [
                ("Моделі OSI і TCP/IP", "lesson", None),
                ("IP-адресація та підмережі", "lesson", None),
                ("Налаштування маршрутизатора та Wi-Fi", "lab", 10),
                ("Тест: мережі", "quiz", 10),
            ]),
            ("Безпека", [
                ("Фішинг, паролі, двофакторна автентифікація", "lesson", None),
                ("Кібергігієна в умовах війни", "lesson", None),
                ("Підсумковий тест", "quiz", 100),
            ]),
        ],
    },
    {
        "code": "CS-201", "track": "cs", "level": "intermediate", "audience": "any",
        "title": "Веб-розробка: HTML, CSS і JavaScript", "estimated_hours": 54,
        "description": "Створюємо сучасні вебсторінки: семантична верстка, Flexbox, JavaScript, "
                       "робота з API, Git і публікація сайту.",
        "certifications": [],
        "modules": [
            ("HTML і CSS", [
                ("Структура HTML-документа та семантичні теги", "lesson", None),
                ("CSS: селектори, блокова модель, Flexbox", "lesson", None),
                ("Верстка особистої сторінки", "lab", 10),
                ("Тест: HTML і CSS", "quiz", 10),
            ]),
            ("JavaScript", [
                ("Змінні, функції та масиви в JavaScript", "lesson", None),
                ("DOM і обробка подій", "lesson", None),
                ("Інтерактивний список справ", "lab", 10),
            ]),
            ("Взаємодія з сервером", [
                ("HTTP, JSON і fetch", "lesson", None),
                ("Git і GitHub для командної роботи", "lab", 10),
                ("Публікація сайту на GitHub Pages", "lab", 10),
            ]),
            ("Проєкт", [
                ("Сайт для місцевої громадської організації", "project", 100),
                ("Підсумковий тест", "quiz", 100),
            ]),
        ],
    },
    {
        "code": "CS-202", "track": "cs", "level": "intermediate", "audience": "university",
        "title": "Аналіз даних з Python", "estimated_hours": 48,
        "description": "pandas, SQL і візуалізація на відкритих даних України. Готує до "
                       "Google Data Analytics Professional Certificate.",
        "certifications": ["google-da"],
        "modules": [
            ("Дані та інструменти", [
                ("Життєвий цикл аналізу даних", "lesson", None),
                ("Jupyter Notebook і pandas", "lab", 10),
                ("Тест: типи даних і джерела", "quiz", 10),
            ]),
            ("Очищення та перетворення", [
                ("Пропущені значення й дублікати", "lesson", None),
                ("Групування, злиття, зведені таблиці", "lab", 10),
                ("SQL для аналітика", "lesson", None),
                ("Практикум SQL", "lab", 10),
            ]),
            ("Візуалізація й висновки", [
                ("Графіки в matplotlib і seaborn", "lesson", None),
                ("Описова статистика", "lesson", None),
                ("Тест: статистика", "quiz", 10),
            ]),
            ("Кейс", [
                ("Аналіз відкритих даних громади (data.gov.ua)", "project", 100),
                ("Презентація результатів", "lesson", None),
            ]),
        ],
    },
    {
        "code": "CLD-101", "track": "cloud", "level": "beginner", "audience": "any",
        "title": "Підготовка до AWS Certified Cloud Practitioner", "estimated_hours": 30,
        "description": "Хмарні концепції, безпека, ключові сервіси та ціноутворення AWS. "
                       "Пробні екзамени й підготовка до іспиту CLF-C02.",
        "certifications": ["aws-clf"],
        "modules": [
            ("Хмарні концепції", [
                ("Що таке хмара: моделі IaaS, PaaS, SaaS", "lesson", None),
                ("Глобальна інфраструктура AWS", "lesson", None),
                ("Тест: хмарні концепції", "quiz", 100),
            ]),
            ("Безпека та відповідність", [
                ("Модель спільної відповідальності", "lesson", None),
                ("IAM: користувачі, групи, ролі, MFA", "lab", 10),
                ("Тест: безпека", "quiz", 100),
            ]),
            ("Технології та сервіси", [
                ("EC2, S3, RDS і Lambda", "lesson", None),
                ("Розгортання статичного сайту в S3", "lab", 10),
                ("Мережі: VPC, Route 53, CloudFront", "lesson", None),
                ("Тест: сервіси", "quiz", 100),
            ]),
            ("Оплата та підтримка", [
                ("Моделі ціноутворення та AWS Budgets", "lesson", None),
                ("Пробний екзамен CLF-C02", "quiz", 100),
                ("План підготовки та реєстрація на іспит", "lesson", None),
            ]),
        ],
    },
    {
        "code": "CLD-102", "track": "cloud", "level": "beginner", "audience": "any",
        "title": "Підготовка до Microsoft Azure Fundamentals (AZ-900)", "estimated_hours": 24,
        "description": "Хмарні концепції, архітектура та сервіси Azure, керування й вартість. "
                       "Навчання на Microsoft Learn з практичними завданнями.",
        "certifications": ["az-900"],
        "modules": [
            ("Хмарні концепції", [
                ("Переваги хмари та моделі розгортання", "lesson", None),
                ("Моделі послуг і спільна відповідальність", "lesson", None),
                ("Тест: хмарні концепції", "quiz", 100),
            ]),
            ("Архітектура та сервіси Azure", [
                ("Регіони, зони доступності, групи ресурсів", "lesson", None),
                ("Віртуальні машини та App Service", "lab", 10),
                ("Azure Storage", "lab", 10),
            ]),
            ("Керування та управління", [
                ("Microsoft Entra ID і RBAC", "lesson", None),
                ("Azure Policy, теги, блокування ресурсів", "lesson", None),
                ("Вартість і калькулятор цін", "lab", 10),
                ("Пробний екзамен AZ-900", "quiz", 100),
            ]),
        ],
    },
    {
        "code": "CLD-201", "track": "cloud", "level": "advanced", "audience": "university",
        "title": "Підготовка до AWS Certified Solutions Architect – Associate",
        "estimated_hours": 60, "is_published": False,
        "description": "Проєктування надійних, безпечних, продуктивних і економних архітектур "
                       "в AWS. Чернетка курсу: модулі ще доповнюються.",
        "certifications": ["aws-saa"],
        "modules": [
            ("Надійні архітектури", [
                ("AWS Well-Architected Framework", "lesson", None),
                ("Високодоступні застосунки: ELB і Auto Scaling", "lab", 10),
                ("Тест: надійність", "quiz", 100),
            ]),
            ("Безпечні архітектури", [
                ("VPC: підмережі, маршрутизація, NAT", "lab", 10),
                ("Шифрування: KMS і політики доступу", "lesson", None),
                ("Тест: безпека", "quiz", 100),
            ]),
            ("Продуктивність і вартість", [
                ("Кешування: ElastiCache і CloudFront", "lesson", None),
                ("Бази даних: RDS, Aurora, DynamoDB", "lesson", None),
                ("Оптимізація витрат", "lesson", None),
                ("Пробний екзамен SAA-C03", "quiz", 100),
            ]),
        ],
    },
]
