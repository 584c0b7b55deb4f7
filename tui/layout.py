"""Word wrapping for the reader: a sentence becomes lines of pieces, each piece knowing its token.

The reader lays out only the sentences on screen, so these functions must be cheap for one sentence and never
look at the rest of the lesson. Text is kept as plain strings (never parsed as markup).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

from lessons.model import Correction, Pos, Sentence


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    token: int | None = None
    """Index into ``sentence.tokens``; None for spaces and text between tokens."""


Line = list[Piece]


def sentence_pieces(sentence: Sentence) -> list[Piece]:
    """The sentence text cut into token pieces and the text between them (covers every character once)."""
    text = sentence.text
    pieces: list[Piece] = []
    pos = 0
    for index, token in enumerate(sentence.tokens):
        start, end = token.start, token.end
        if start < pos or end > len(text) or end <= start:
            continue  # offsets that do not fit the text: show the text, skip the token
        if start > pos:
            pieces.append(Piece(text[pos:start]))
        pieces.append(Piece(text[start:end], index))
        pos = end
    if pos < len(text):
        pieces.append(Piece(text[pos:]))
    return pieces


def _atoms(pieces: list[Piece]) -> list[list[Piece] | None]:
    """Words (lists of pieces with no space inside) and None for each run of whitespace."""
    atoms: list[list[Piece] | None] = []
    word: list[Piece] = []
    for piece in pieces:
        if piece.token is not None:
            word.append(piece)
            continue
        buffer = ""
        for char in piece.text:
            if char.isspace():
                if buffer:
                    word.append(Piece(buffer))
                    buffer = ""
                if word:
                    atoms.append(word)
                    word = []
                if atoms and atoms[-1] is not None:
                    atoms.append(None)
            else:
                buffer += char
        if buffer:
            word.append(Piece(buffer))
    if word:
        atoms.append(word)
    return atoms


def _split_long(word: list[Piece], width: int) -> list[list[Piece]]:
    """A word wider than the line, cut into line-sized chunks (pieces keep their tokens)."""
    chunks: list[list[Piece]] = [[]]
    used = 0
    for piece in word:
        buffer = ""
        for char in piece.text:
            w = cell_len(char)
            if used + w > width and used > 0:
                if buffer:
                    chunks[-1].append(Piece(buffer, piece.token))
                    buffer = ""
                chunks.append([])
                used = 0
            buffer += char
            used += w
        if buffer:
            chunks[-1].append(Piece(buffer, piece.token))
    return chunks


def wrap_pieces(pieces: list[Piece], width: int) -> list[Line]:
    """Greedy word wrap to ``width`` cells; runs of whitespace become one space, none at line ends."""
    width = max(1, width)
    lines: list[Line] = [[]]
    used = 0
    pending_space = False
    for atom in _atoms(pieces):
        if atom is None:
            pending_space = used > 0
            continue
        size = sum(cell_len(p.text) for p in atom)
        gap = 1 if pending_space else 0
        if used and used + gap + size > width:
            lines.append([])
            used, gap = 0, 0
        pending_space = False
        if size > width:
            chunks = _split_long(atom, width)
            for number, chunk in enumerate(chunks):
                if number:
                    lines.append([])
                    used = 0
                lines[-1].extend(chunk)
                used = sum(cell_len(p.text) for p in chunk)
            continue
        if gap:
            lines[-1].append(Piece(" "))
        lines[-1].extend(atom)
        used += gap + size
    return lines


def wrap_text(text: str, width: int) -> list[str]:
    """Plain word wrap (translations)."""
    return ["".join(p.text for p in line) for line in wrap_pieces([Piece(text)], width)]


def word_indices(sentence: Sentence) -> list[int]:
    """Token indices the cursor stops at (every token but punctuation)."""
    return [i for i, t in enumerate(sentence.tokens) if t.pos is not Pos.PUNCT]


def corrected_tokens(sentence: Sentence, corrections: list[Correction]) -> dict[int, Correction]:
    """Tokens of ``sentence`` inside the text an applied correction put there, with that correction."""
    found: dict[int, Correction] = {}
    for correction in corrections:
        if not correction.applied or not correction.corrected:
            continue
        before = set(correction.original.split())
        start = sentence.text.find(correction.corrected)
        while start >= 0:
            end = start + len(correction.corrected)
            inside = [
                i
                for i, token in enumerate(sentence.tokens)
                if token.start < end and start < token.end and token.pos is not Pos.PUNCT
            ]
            # Mark what the fix changed ("Diebsieg" → "DeepSeek"); a removal ("Modellen Der bisher" →
            # "Modellen bisher") changed no word, so the words around the gap are marked.
            changed = [i for i in inside if sentence.tokens[i].text not in before] or inside
            for index in changed:
                found.setdefault(index, correction)
            start = sentence.text.find(correction.corrected, end)
    return found


def corrections_by_sentence(corrections: tuple[Correction, ...]) -> dict[int, list[Correction]]:
    by_sentence: dict[int, list[Correction]] = {}
    for correction in corrections:
        if correction.applied and correction.sentence is not None:
            by_sentence.setdefault(correction.sentence, []).append(correction)
    return by_sentence
