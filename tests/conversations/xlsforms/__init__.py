"""XLSForms written the way KoBoToolbox and ODK users write them, built with openpyxl.

Each ``Form`` is a workbook's sheets (first row the headers), the list files beside it, and
either nothing (it is accepted) or the fragment of the problem it is refused with, which names
its sheet, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

Rows = list[list[object]]

YES_NO = [["list_name", "name", "label"], ["sn", "si", "Sí"], ["sn", "no", "No"]]
TOPICS = [
    ["list_name", "name", "label::Español (es)", "label::English (en)"],
    ["temas", "salud", "Salud", "Health"],
    ["temas", "educacion", "Educación", "Education"],
    ["temas", "seguridad", "Seguridad", "Security"],
]
CASCADE = [
    ["list_name", "name", "label", "estado"],
    ["estados", "01", "Aguascalientes", None],
    ["estados", "02", "Baja California", None],
    ["municipios", "001", "Asientos", "01"],
    ["municipios", "002", "Calvillo", "01"],
    ["municipios", "003", "Mexicali", "02"],
    ["municipios", "004", "Tijuana", "02"],
]
PLACES = "name,label,region\nnorte,Zona norte,a\nsur,Zona sur,b\ncentro,Zona centro,a\n"


@dataclass(frozen=True)
class Form:
    name: str
    survey: Rows | None
    choices: Rows | None = None
    settings: Rows | None = None
    files: dict[str, str] = field(default_factory=dict)
    refused: str | None = None

    def write(self, folder: Path) -> Path:
        """The workbook and its list files in ``folder``; the workbook's path."""
        book = Workbook()
        book.remove(book.active)
        for title, rows in (
            ("survey", self.survey),
            ("choices", self.choices),
            ("settings", self.settings),
        ):
            if rows is not None:
                sheet = book.create_sheet(title)
                for row in rows:
                    sheet.append(row)
        for name, text in self.files.items():
            (folder / name).write_text(text, encoding="utf-8")
        path = folder / f"{self.name}.xlsx"
        book.save(path)
        return path


def _s(*rows: list[object], header: list[object] | None = None) -> Rows:
    return [header or ["type", "name", "label"], *rows]


FORMS = [
    Form(
        "kobo_basico",
        _s(
            ["start", "start", None],
            ["text", "nombre", "¿Cómo te llamas?"],
            ["integer", "edad", "Edad"],
            ["end", "end", None],
        ),
    ),
    Form(
        "idiomas_nombre_codigo",
        [
            [
                "type",
                "name",
                "label::Español (es)",
                "label::English (en)",
                "hint::Español (es)",
                "hint::English (en)",
            ],
            ["text", "q1", "Pregunta", "Question", "Ayuda", "Help"],
        ],
    ),
    Form(
        "idiomas_un_colon",
        [
            ["type", "name", "label:spanish", "label:english"],
            ["text", "q1", "Pregunta", "Question"],
        ],
    ),
    Form(
        "idiomas_solo_nombre",
        [
            ["type", "name", "label::Español", "label::English", "label::Swahili (sw)"],
            ["text", "q1", "Pregunta", "Question", "Swali"],
        ],
    ),
    Form(
        "idioma_por_defecto",
        [["type", "name", "label", "label::English (en)"], ["text", "q1", "Pregunta", "Question"]],
        settings=[["default_language"], ["Español (es)"]],
    ),
    Form(
        "idioma_chino_mensaje",
        [
            [
                "type",
                "name",
                "label",
                "constraint",
                "constraint_message::chinese",
                "constraint_message::Español (es)",
            ],
            ["integer", "n", "Número", ". > 0", "必须大于零", "Mayor que cero"],
        ],
    ),
    Form(
        "idioma_sin_codigo",
        [["type", "name", "label", "label::Klingon"], ["text", "q1", "Pregunta", "nuqneH"]],
        refused="row 2, column 'label::Klingon'",
    ),
    Form(
        "tipos_antiguos",
        _s(
            ["select one from list sn", "a", "¿A?"],
            ["select all that apply from list temas", "b", "¿B?"],
            ["phone number", "tel", "Teléfono"],
        ),
        choices=[*YES_NO, *TOPICS[1:]]
        if False
        else [
            ["list_name", "name", "label"],
            ["sn", "si", "Sí"],
            ["sn", "no", "No"],
            ["temas", "salud", "Salud"],
            ["temas", "agua", "Agua"],
        ],
    ),
    Form(
        "tipos_antiguos_otro",
        _s(["select all that apply from list temas or specify other", "b", "¿B?"]),
        choices=[
            ["list_name", "name", "label"],
            ["temas", "salud", "Salud"],
            ["temas", "agua", "Agua"],
        ],
    ),
    Form(
        "or_other",
        _s(["select_one sn or_other", "a", "¿A?"], ["select_one sn", "b", "¿B?"]),
        choices=YES_NO,
    ),
    Form(
        "select_multiple_or_other",
        _s(["select_multiple temas or_other", "t", "Temas"]),
        choices=TOPICS,
    ),
    Form("rank", _s(["rank temas", "orden", "Ordena"]), choices=TOPICS),
    Form(
        "columnas_de_presentacion",
        [
            [
                "type",
                "name",
                "label",
                "appearance",
                "image",
                "media::video",
                "bind::odk:length",
                "body::accuracyThreshold",
                "instance::foo",
                "guidance_hint",
                "x_propia",
            ],
            [
                "text",
                "q1",
                "Pregunta",
                "multiline",
                "foto.jpg",
                "v.mp4",
                "10",
                "5",
                "x",
                "Guía",
                "z",
            ],
        ],
    ),
    Form(
        "settings_completo",
        _s(["text", "q1", "Pregunta"]),
        settings=[
            ["form_title", "form_id", "version", "default_language", "instance_name", "style"],
            [
                "Mi encuesta",
                "mi_encuesta",
                "2024-03 (v3)",
                "Español (es)",
                "concat(${q1})",
                "pages",
            ],
        ],
    ),
    Form(
        "tiempo",
        _s(
            ["time", "hora", "¿A qué hora?"],
            ["datetime", "cuando", "¿Cuándo?"],
            ["date", "dia", "¿Qué día?"],
        ),
    ),
    Form(
        "acknowledge_nota",
        _s(
            ["acknowledge", "ok", "Acepto las reglas"],
            ["integer", "n", "¿Cuántos?"],
            ["note", "resumen", "Dijiste ${n}"],
        ),
    ),
    Form(
        "calculate_hidden",
        [
            ["type", "name", "label", "calculation", "default"],
            ["integer", "a", "A", None, None],
            ["calculate", "doble", None, "${a} * 2", None],
            ["hidden", "origen", None, None, "kobo"],
        ],
    ),
    Form(
        "default_required_message",
        [
            [
                "type",
                "name",
                "label",
                "required",
                "required_message::Español (es)",
                "required_message::English (en)",
                "default",
            ],
            ["integer", "n", "¿Cuántos?", "yes", "Es obligatoria", "Required", "3"],
            ["text", "t", "Texto", "no", None, None, None],
        ],
    ),
    Form(
        "grupos_relevantes",
        [
            ["type", "name", "label", "relevant"],
            ["select_one sn", "miembro", "¿Eres miembro?", None],
            ["begin_group", "perfil", "Perfil", "${miembro} = 'si'"],
            ["integer", "edad", "Edad", None],
            ["end_group", None, None, None],
            ["begin group", "otro", "Otro", None],
            ["text", "nota", "Nota", None],
            ["end group", None, None, None],
        ],
        choices=YES_NO,
    ),
    Form(
        "range_rating",
        [
            ["type", "name", "label", "parameters", "appearance"],
            ["range", "r", "Califica", "start=0 end=10 step=1", "rating"],
        ],
    ),
    Form(
        "media",
        _s(
            ["image", "foto", "Foto"],
            ["audio", "voz", "Audio"],
            ["video", "vid", "Video"],
            ["file", "doc", "Documento"],
            ["geopoint", "lugar", "Ubicación"],
        ),
    ),
    Form(
        "cascada",
        [
            ["type", "name", "label", "choice_filter"],
            ["select_one estados", "estado", "Estado", None],
            ["select_one municipios", "municipio", "Municipio", "estado = ${estado}"],
        ],
        choices=CASCADE,
    ),
    Form(
        "desde_archivo",
        _s(
            ["select_one_from_file lugares.csv", "lugar", "Lugar"],
            ["select_multiple_from_file lugares.csv", "lugares", "Lugares"],
        ),
        files={"lugares.csv": PLACES},
    ),
    Form(
        "desde_archivo_filtrado",
        [
            ["type", "name", "label", "choice_filter"],
            ["select_one_from_file lugares.csv", "lugar", "Lugar", "region = 'a'"],
        ],
        files={"lugares.csv": PLACES},
    ),
    Form(
        "estado_municipio_inegi",
        [
            ["type", "name", "label", "choice_filter"],
            ["select_one_from_file inegi_estados.csv", "estado", "Estado", None],
            [
                "select_one_from_file inegi_municipios.csv",
                "municipio",
                "Municipio",
                "estado = ${estado}",
            ],
        ],
    ),
    Form(
        "archivo_faltante",
        _s(["select_one_from_file no_existe.csv", "lugar", "Lugar"]),
        refused="row 2, column 'type': the list file 'no_existe.csv' is not beside the form",
    ),
    Form(
        "filtro_columna_inexistente",
        [
            ["type", "name", "label", "choice_filter"],
            ["select_one estados", "estado", "Estado", None],
            ["select_one municipios", "municipio", "Municipio", "pais = ${estado}"],
        ],
        choices=CASCADE,
        refused="row 3, question 'municipio', field 'choice_filter': 'pais' is no column",
    ),
    Form(
        "repeticion",
        _s(
            ["begin_repeat", "hijos", "Hijos"],
            ["text", "nombre", "Nombre"],
            ["end_repeat", None, None],
        ),
    ),
    Form(
        "hogar_integrantes",
        [
            ["type", "name", "label", "calculation", "repeat_count", "relevant"],
            ["integer", "adultos", "¿Cuántos adultos viven en el hogar?", None, None, None],
            ["integer", "menores", "¿Y cuántos menores de edad?", None, None, None],
            ["calculate", "personas", None, "${adultos} + ${menores}", None, None],
            ["begin repeat", "integrante", "Integrante del hogar", None, "${personas}", None],
            ["text", "nombre", "Nombre", None, None, None],
            ["integer", "edad", "Edad de ${nombre}", None, None, None],
            ["select_one sn", "estudia", "¿${nombre} estudia?", None, None, "${edad} < 25"],
            ["end repeat", None, None, None, None, None],
            ["note", "gracias", "Registraste a ${personas} personas", None, None, None],
        ],
        choices=YES_NO,
    ),
    Form(
        "visitas_hallazgos",
        [
            ["type", "name", "label::Español (es)", "label::English (en)", "required"],
            ["begin_repeat", "visita", "Visita", "Visit", None],
            ["text", "lugar", "Lugar visitado", "Place visited", "yes"],
            ["begin_repeat", "hallazgo", "Hallazgo en ${lugar}", "Finding at ${lugar}", None],
            ["text", "descripcion", "Descripción", "Description", "yes"],
            ["select_one gravedad", "gravedad", "Gravedad", "Severity", "yes"],
            ["end_repeat", None, None, None, None],
            ["end_repeat", None, None, None, None],
            ["text", "comentarios", "Comentarios", "Comments", None],
        ],
        choices=[
            ["list_name", "name", "label::Español (es)", "label::English (en)"],
            ["gravedad", "baja", "Baja", "Low"],
            ["gravedad", "alta", "Alta", "High"],
        ],
    ),
    Form(
        "pagos_funciones",
        [
            ["type", "name", "label", "calculation", "repeat_count", "relevant"],
            ["begin_repeat", "pago", "Pago", None, "3", None],
            ["calculate", "numero", None, "position(..)", None, None],
            [
                "calculate",
                "anterior",
                None,
                "indexed-repeat(${monto}, ${pago}, position(..) - 1)",
                None,
                None,
            ],
            ["note", "recuerda", "Antes: ${anterior}", None, None, "${numero} > 1"],
            ["decimal", "monto", "Monto del pago ${numero}", None, None, None],
            ["end_repeat", None, None, None, None, None],
            ["calculate", "total", None, "sum(${monto})", None, None],
            ["calculate", "pagos", None, "count(${pago})", None, None],
            ["note", "resumen", "Total: ${total} en ${pagos} pagos", None, None, None],
        ],
    ),
    Form(
        "repeticion_sin_fin",
        _s(["text", "a", "A"], ["begin_repeat", "hijos", "Hijos"], ["text", "nombre", "Nombre"]),
        refused="sheet 'survey', row 3, column 'type': Unmatched 'begin_repeat'",
    ),
    Form(
        "repeticion_excesiva",
        [
            ["type", "name", "label", "repeat_count"],
            ["begin_repeat", "hijos", "Hijos", "80"],
            ["text", "nombre", "Nombre", None],
            ["end_repeat", None, None, None],
        ],
        refused="sheet 'survey', row 2, column 'repeat_count': at most 50 instances",
    ),
    Form(
        "barcode",
        _s(["barcode", "codigo", "Código"]),
        refused="row 2, column 'type': a barcode cannot be scanned",
    ),
    Form(
        "geotrace",
        _s(["geotrace", "ruta", "Ruta"]),
        refused="row 2, column 'type': a line cannot be drawn",
    ),
    Form(
        "expresion_invalida",
        [
            ["type", "name", "label", "relevant"],
            ["integer", "a", "A", None],
            ["integer", "b", "B", "${a} >"],
        ],
        refused="row 3",
    ),
    Form("lista_faltante", _s(["select_one nada", "a", "A"]), choices=YES_NO, refused="nada"),
    Form("sin_survey", None, choices=YES_NO, refused="no 'survey' sheet"),
    Form(
        "range_paso",
        [["type", "name", "label", "parameters"], ["range", "r", "R", "start=0 end=100 step=5"]],
        refused="row 2, column 'parameters'",
    ),
    Form(
        "metadatos",
        _s(
            ["start", "start", None],
            ["end", "end", None],
            ["today", "today", None],
            ["deviceid", "deviceid", None],
            ["username", "username", None],
            ["audit", "audit", None],
            ["text", "q", "Pregunta"],
        ),
    ),
]
