//! French company names, addresses and contacts for the demo.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub struct Person {
    pub name: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub public_body: bool,
}

const TRADES: &[&str] = &[
    "Boulangerie",
    "Garage",
    "Café",
    "Transports",
    "Menuiserie",
    "Imprimerie",
    "Pharmacie",
    "Hôtel",
    "Cabinet",
    "Électricité",
    "Plomberie",
    "Librairie",
    "Fromagerie",
    "Brasserie",
    "Pépinières",
    "Atelier",
    "Bâtiment",
    "Charpente",
    "Traiteur",
    "Boucherie",
    "Optique",
    "Carrosserie",
    "Maçonnerie",
    "Laboratoire",
    "Agence",
    "Épicerie fine",
    "Chocolaterie",
    "Serrurerie",
    "Jardinerie",
    "Peinture",
];
const SURNAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Noël",
    "Brun",
];
const FORMS: &[&str] = &["SARL", "SAS", "EURL", "SA", "SASU", ""];
const SUFFIXES: &[&str] = &["", "", "", " & Fils", " Frères", " et Cie"];
const CITIES: &[(&str, &str)] = &[
    ("69002", "Lyon"),
    ("69100", "Villeurbanne"),
    ("38000", "Grenoble"),
    ("42000", "Saint-Étienne"),
    ("75011", "Paris"),
    ("13001", "Marseille"),
    ("31000", "Toulouse"),
    ("33000", "Bordeaux"),
    ("44000", "Nantes"),
    ("67000", "Strasbourg"),
    ("59000", "Lille"),
    ("06000", "Nice"),
    ("21000", "Dijon"),
    ("63000", "Clermont-Ferrand"),
    ("73000", "Chambéry"),
    ("01000", "Bourg-en-Bresse"),
    ("26000", "Valence"),
    ("74000", "Annecy"),
    ("71100", "Chalon-sur-Saône"),
    ("03100", "Montluçon"),
];
const STREETS: &[&str] = &[
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "boulevard Gambetta",
    "place du Marché",
    "rue Pasteur",
    "chemin des Vignes",
    "rue de l'Église",
    "avenue de la Gare",
    "quai Saint-Antoine",
];
const PUBLIC: &[&str] = &[
    "Mairie de",
    "Communauté de communes de",
    "Lycée professionnel de",
    "Centre hospitalier de",
];

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

fn slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'é' | 'è' | 'ê' | 'É' => Some('e'),
            'à' | 'â' => Some('a'),
            'ç' => Some('c'),
            'ô' => Some('o'),
            'ë' => Some('e'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

pub fn draw(rng: &mut ChaCha8Rng, index: usize) -> Person {
    let (postcode, city) = CITIES[rng.random_range(0..CITIES.len())];
    let public_body = rng.random_bool(0.06);
    let surname = pick(rng, SURNAMES);
    let name = if public_body {
        format!("{} {city}", pick(rng, PUBLIC))
    } else {
        let form = pick(rng, FORMS);
        let base = format!("{} {surname}{}", pick(rng, TRADES), pick(rng, SUFFIXES));
        if form.is_empty() {
            base
        } else {
            format!("{base} {form}")
        }
    };
    let domain = if public_body {
        format!("{}.fr", slug(city))
    } else {
        format!("{}-{}.fr", slug(surname), index + 1)
    };
    let number: u32 = rng.random_range(1..180);
    let street = pick(rng, STREETS);
    Person {
        address: format!("{number} {street}\n{postcode} {city}"),
        email: format!("{}@{domain}", if public_body { "comptabilite" } else { "compta" }),
        phone: format!(
            "0{} {:02} {:02} {:02} {:02}",
            rng.random_range(1..6),
            rng.random_range(0..100),
            rng.random_range(0..100),
            rng.random_range(0..100),
            rng.random_range(0..100)
        ),
        name,
        public_body,
    }
}
