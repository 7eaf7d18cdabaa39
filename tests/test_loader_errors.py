"""Every rule-file mistake is a RuleSetError naming file:line:column, the field and a code.

Each test writes a small YAML file whose line and column numbers can be counted by eye
(the line numbers are in the comments), loads it, and pins the stable ``code``, the
exact position, the rule path and the "did you mean" hint. An author fixes a file from
these messages alone, so they are part of the contract (SPEC §4, ``standards lint``).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import standards
from standards import Problem, RuleSetError


def write(directory: Path, text: str, name: str = "rules.yaml") -> Path:
    """Write dedented YAML (first line = line 1) and return its path."""
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_error(path: Path) -> RuleSetError:
    """Load a broken rule file and return the RuleSetError it raises."""
    with pytest.raises(RuleSetError) as info:
        standards.load(path)
    return info.value


def problem(err: RuleSetError, code: str) -> Problem:
    """The one problem of ``code`` in the error (fails if there is none or several)."""
    found = [p for p in err.problems if p.code == code]
    assert len(found) == 1, f"expected one {code!r} problem, got:\n{err}"
    return found[0]


def assert_at(p: Problem, path: Path, line: int, column: int, field: str, hint: str | None = None) -> None:
    """The problem is located exactly, names the field, and prints as file:line:col."""
    assert (p.file, p.line, p.column) == (str(path), line, column), str(p)
    assert p.path == field, str(p)
    assert str(p).startswith(f"{path}:{line}:{column}: {p.code}: "), str(p)
    assert f"(at {field})" in str(p)
    if hint is not None:
        assert p.hint == hint, str(p)
        assert str(p).endswith(f"; {hint}")


# A valid header; criteria follow from line 8 on.
HEAD = """\
standard: {id: t.errors, title: 测试标准}
parameters:
  knowledge_rate_min: 75%
  behavior_rate_min: 70%
categories:
  - {id: edu, title: 健康教育}
criteria:
"""


def write_criteria(directory: Path, criteria: str) -> Path:
    """HEAD plus criteria (dedented, indented by two spaces under ``criteria:``)."""
    body = textwrap.indent(textwrap.dedent(criteria).lstrip("\n"), "  ")
    path = directory / "rules.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


# -- unknown names ----------------------------------------------------------------------------


def test_unknown_check_kind_suggests_the_nearest_kind(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.knowledge-rate      # line 8
          category: edu
          title: 知晓率
          check:
            kind: ration              # line 12, value at column 13
            numerator: a
            denominator: b
            min: 75%
        """,
    )
    err = load_error(path)
    p = problem(err, "unknown-check-kind")
    assert_at(p, path, 12, 13, "criteria[0].check.kind", "did you mean 'ratio'?")
    assert "'ration'" in p.message and "ratio" in p.message


def test_unknown_field_in_a_check_suggests_the_field(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.groups
          category: edu
          title: 工作小组
          check:
            kind: count
            path: org.working_groups
            mn: 3                     # line 14, key at column 7
        """,
    )
    err = load_error(path)
    p = problem(err, "unknown-field")
    assert_at(p, path, 14, 7, "criteria[0].check.mn", "did you mean 'min'?")
    assert "'mn'" in p.message


def test_unknown_field_in_a_criterion_suggests_the_field(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.groups
          category: edu
          title: 工作小组
          mandatroy: true             # line 11, key at column 5
          check: {kind: exists, path: org.groups}
        """,
    )
    err = load_error(path)
    p = problem(err, "unknown-field")
    assert_at(p, path, 11, 5, "criteria[0].mandatroy", "did you mean 'mandatory'?")


def test_a_misspelt_required_field_is_unknown_and_missing(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.groups              # line 8
          category: edu
          titel: 工作小组              # line 10
          check: {kind: exists, path: org.groups}
        """,
    )
    err = load_error(path)
    assert_at(problem(err, "unknown-field"), path, 10, 5, "criteria[0].titel", "did you mean 'title'?")
    missing = problem(err, "missing-field")
    assert (missing.line, missing.column, missing.path) == (8, 5, "criteria[0].title")


def test_unknown_top_level_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        standard: {id: t.errors, title: 测试}
        categories: [{id: edu, title: 教育}]
        criterias: []
        """,
    )
    p = problem(load_error(path), "unknown-field")
    assert_at(p, path, 3, 1, "criterias", "did you mean 'criteria'?")


def test_unknown_field_in_an_override_suggests_a_criterion_field(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    path = write(
        tmp_path,
        """
        standard: {id: t.profile, title: 配置}
        extends: base.yaml
        override:
          edu.knowledge-rate: {pionts: 2}
        """,
        "profile.yaml",
    )
    p = problem(load_error(path), "unknown-field")
    assert_at(p, path, 4, 24, "override.edu.knowledge-rate.pionts", "did you mean 'points'?")


# -- wrong types --------------------------------------------------------------------------------


def test_points_must_be_a_number(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.groups
          category: edu
          title: 工作小组
          points: lots                # line 11, value at column 13
          check: {kind: exists, path: org.groups}
        """,
    )
    p = problem(load_error(path), "wrong-type")
    assert_at(p, path, 11, 13, "criteria[0].points")
    assert p.message == "points must be a number, got the text 'lots'"


def test_checks_must_be_a_list(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.groups
          category: edu
          title: 工作小组
          check:
            kind: all
            checks: 5                 # line 13, value at column 15
        """,
    )
    p = problem(load_error(path), "wrong-type")
    assert_at(p, path, 13, 15, "criteria[0].check.checks")
    assert p.message == "checks must be a list, got the number 5"


def test_a_threshold_must_be_a_number_percentage_or_parameter(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.rate
          category: edu
          title: 知晓率
          check: {kind: ratio, numerator: a, denominator: b, min: 七成五}
        """,
    )
    p = problem(load_error(path), "invalid-value")
    assert_at(p, path, 11, 61, "criteria[0].check.min")
    assert "'75%'" in p.message and "$parameter" in p.message


# -- parameters -------------------------------------------------------------------------------


def test_undefined_parameter_suggests_a_defined_one(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.rate
          category: edu
          title: 知晓率
          check:
            kind: ratio
            numerator: health.survey.knowledge_correct
            denominator: health.survey.respondents
            min: $knowledge_rate_mn   # line 15, value at column 12
        """,
    )
    p = problem(load_error(path), "undefined-parameter")
    assert_at(p, path, 15, 12, "criteria[0].check.min", "did you mean $knowledge_rate_min?")
    assert p.message == "$knowledge_rate_mn is not defined under parameters"


def test_undefined_parameter_in_scoring(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        standard: {id: t.errors, title: 测试}
        parameters: {pass_share: 85%}
        scoring:
          pass_mark: $pass_shar
        categories: [{id: edu, title: 教育}]
        criteria: []
        """,
    )
    p = problem(load_error(path), "undefined-parameter")
    assert_at(p, path, 4, 14, "scoring.pass_mark", "did you mean $pass_share?")


def test_a_parameter_whose_value_does_not_fit_its_slot(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        standard: {id: t.errors, title: 测试}
        parameters: {board_every: 3个月}
        categories: [{id: edu, title: 教育}]
        criteria:
          - id: edu.board
            category: edu
            title: 宣传栏每季度更换
            check: {kind: periodic, event: board.update, every: $board_every, over: P1Y}
        """,
    )
    p = problem(load_error(path), "invalid-parameter")
    assert_at(p, path, 8, 57, "criteria[0].check.every")
    assert "ISO 8601 duration" in p.message and "$board_every" in p.message


# -- extends --------------------------------------------------------------------------------

BASE = """
standard: {id: t.base, title: 基础标准}
parameters: {knowledge_rate_min: 75%}
categories: [{id: edu, title: 健康教育}]
criteria:
  - id: edu.knowledge-rate
    category: edu
    title: 知晓率
    check: {kind: ratio, numerator: a, denominator: b, min: $knowledge_rate_min}
  - id: edu.board
    category: edu
    title: 宣传栏
    check: {kind: exists, path: board}
"""


@pytest.mark.parametrize(("ref_a", "ref_b"), [("b.yaml", "a.yaml"), ("t.b", "t.a")])
def test_extends_cycle_is_reported_where_it_closes(tmp_path: Path, ref_a: str, ref_b: str) -> None:
    write(tmp_path, f"standard: {{id: t.a, title: A}}\nextends: {ref_a}\n", "a.yaml")
    b = write(tmp_path, f"standard: {{id: t.b, title: B}}\nextends: {ref_b}\n", "b.yaml")
    err = load_error(tmp_path / "a.yaml")
    p = problem(err, "extends-cycle")
    assert_at(p, b, 2, 10, "extends")
    assert "a.yaml → b.yaml → a.yaml" in p.message


def test_a_standard_extending_itself_is_a_cycle(tmp_path: Path) -> None:
    path = write(tmp_path, "standard: {id: t.self, title: A}\nextends: t.self\n")
    assert_at(problem(load_error(path), "extends-cycle"), path, 2, 10, "extends")


def test_extends_an_unknown_id_suggests_a_known_one(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    path = write(tmp_path, "standard: {id: t.profile, title: A}\nextends: t.bsae\n", "p.yaml")
    p = problem(load_error(path), "extends-not-found")
    assert_at(p, path, 2, 10, "extends", "did you mean 't.base'?")
    assert "'t.bsae'" in p.message


def test_extends_a_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, "standard: {id: t.profile, title: A}\nextends: ../nowhere.yaml\n")
    p = problem(load_error(path), "extends-not-found")
    assert_at(p, path, 2, 10, "extends")


def test_a_profile_may_not_re_add_a_base_criterion(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    path = write(
        tmp_path,
        """
        standard: {id: t.profile, title: 配置}
        extends: t.base
        criteria:
          - id: edu.board             # line 4, value at column 9
            category: edu
            title: 宣传栏(新)
            check: {kind: exists, path: board2}
        """,
        "profile.yaml",
    )
    err = load_error(path)
    p = problem(err, "duplicate-criterion")  # reported once, not twice
    assert_at(p, path, 4, 9, "criteria[0].id")
    assert "override" in p.message and p.hint is not None and "override" in p.hint


@pytest.mark.parametrize(
    ("text", "line", "column", "field", "hint"),
    [
        (
            "exclude: [edu.bord]\n",
            3,
            11,
            "exclude[0]",
            "did you mean 'edu.board'?",
        ),
        (
            "override:\n  edu.knowlege-rate: {points: 2}\n",
            4,
            3,
            "override.edu.knowlege-rate",
            "did you mean 'edu.knowledge-rate'?",
        ),
    ],
)
def test_exclude_or_override_of_an_unknown_criterion(
    tmp_path: Path, text: str, line: int, column: int, field: str, hint: str
) -> None:
    write(tmp_path, BASE, "base.yaml")
    path = write(tmp_path, "standard: {id: t.profile, title: A}\nextends: t.base\n" + text, "p.yaml")
    p = problem(load_error(path), "unknown-criterion")
    assert_at(p, path, line, column, field, hint)


def test_a_criterion_both_excluded_and_overridden(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    path = write(
        tmp_path,
        """
        standard: {id: t.profile, title: 配置}
        extends: t.base
        exclude: [edu.board]
        override:
          edu.board: {points: 3}
        """,
        "profile.yaml",
    )
    p = problem(load_error(path), "conflicting-fields")
    assert_at(p, path, 5, 3, "override.edu.board")


def test_exclude_without_extends(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        standard: {id: t.errors, title: 测试}
        categories: [{id: edu, title: 教育}]
        exclude: [edu.board]
        """,
    )
    p = problem(load_error(path), "no-base")
    assert (p.line, p.column) == (3, 1)


def test_a_profile_parameter_that_breaks_an_inherited_criterion(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    path = write(
        tmp_path,
        """
        standard: {id: t.profile, title: 配置}
        extends: t.base
        parameters:
          knowledge_rate_min: 七成五       # line 4, value at column 23
        """,
        "profile.yaml",
    )
    p = problem(load_error(path), "invalid-parameter")
    # The inherited criterion is not in this file: the parameter set here is blamed.
    assert_at(p, path, 4, 23, "parameters.knowledge_rate_min")
    assert p.hint == "a criterion of the base standard uses $knowledge_rate_min at check.min"


def test_a_profile_parameter_that_inverts_inherited_bounds(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
        standard: {id: t.base, title: 基础}
        parameters: {lo: 1, hi: 5}
        categories: [{id: edu, title: 教育}]
        criteria:
          - {id: edu.a, category: edu, title: a, check: {kind: count, path: a, min: $lo, max: $hi}}
        """,
        "base.yaml",
    )
    path = write(
        tmp_path,
        """
        standard: {id: t.profile, title: 配置}
        extends: t.base
        parameters: {lo: 8}
        """,
        "profile.yaml",
    )
    p = problem(load_error(path), "bound-order")
    assert (p.file, p.line, p.path) == (str(path), 3, "parameters.lo")


def test_a_profile_re_declaring_a_base_category(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    path = write(
        tmp_path,
        """
        standard: {id: t.profile, title: 配置}
        extends: t.base
        categories:
          - {id: edu, title: 健康教育(县)}
        """,
        "profile.yaml",
    )
    p = problem(load_error(path), "duplicate-category")
    assert_at(p, path, 4, 10, "categories[0].id")


# -- ids, categories, meets -----------------------------------------------------------------


def test_duplicate_criterion_id_in_one_file(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.board               # line 8
          category: edu
          title: 宣传栏
          check: {kind: exists, path: board}
        - id: edu.board               # line 12, value at column 9
          category: edu
          title: 宣传栏(重复)
          check: {kind: exists, path: board}
        """,
    )
    p = problem(load_error(path), "duplicate-criterion")
    assert_at(p, path, 12, 9, "criteria[1].id", "the first is criteria[0] (line 8)")


def test_undeclared_category_suggests_a_declared_one(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.board
          category: eud               # line 9, value at column 15
          title: 宣传栏
          check: {kind: exists, path: board}
        """,
    )
    p = problem(load_error(path), "undeclared-category")
    assert_at(p, path, 9, 15, "criteria[0].category", "did you mean 'edu'?")


def test_undeclared_category_without_a_near_name_lists_the_declared(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: env.toilets
          category: environment
          title: 卫生厕所
          check: {kind: exists, path: toilets}
        """,
    )
    p = problem(load_error(path), "undeclared-category")
    assert p.hint == "declare it under categories (declared: edu)"


def test_meets_an_unknown_standard_suggests_a_known_one(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    path = write_criteria(
        tmp_path,
        """
        - id: edu.villages
          category: edu
          title: 所辖村达到基础标准
          check:
            kind: meets
            standard: t.bsae          # line 13, value at column 17
            units: village
        """,
    )
    p = problem(load_error(path), "unknown-standard")
    assert_at(p, path, 13, 17, "criteria[0].check.standard", "did you mean 't.base'?")


def test_meets_itself(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.villages
          category: edu
          title: 所辖村达标
          check: {kind: meets, standard: t.errors}
        """,
    )
    p = problem(load_error(path), "meets-cycle")
    assert (p.line, p.path) == (11, "criteria[0].check.standard")


# -- values that can never work -------------------------------------------------------------


def test_min_above_max_is_a_bound_order_error(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.groups
          category: edu
          title: 工作小组
          check:
            kind: count
            path: org.working_groups
            min: 5                    # line 14, value at column 12
            max: 3
        """,
    )
    p = problem(load_error(path), "bound-order")
    assert_at(p, path, 14, 12, "criteria[0].check.min")
    assert "min 5 is above max 3" in p.message


def test_bound_order_through_parameters(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.rate
          category: edu
          title: 知晓率
          check:
            kind: ratio
            numerator: a
            denominator: b
            min: $knowledge_rate_min  # 75% ...
            max: $behavior_rate_min   # ... above 70%
        """,
    )
    p = problem(load_error(path), "bound-order")
    assert_at(p, path, 15, 12, "criteria[0].check.min")
    assert "$knowledge_rate_min" in p.message and "$behavior_rate_min" in p.message


def test_bound_order_of_durations(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.title
          category: edu
          title: 称号
          check: {kind: age, path: title.date, min: P2Y, max: P18M}
        """,
    )
    p = problem(load_error(path), "bound-order")
    assert p.path == "criteria[0].check.min"


def test_a_grade_min_not_on_its_scale(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: vector.rats
          category: edu
          title: 鼠密度达到C级
          check:
            kind: grade
            path: vector.rat_density
            scale: [A, B, C, D]
            min: E                    # line 15, value at column 12
        """,
    )
    p = problem(load_error(path), "grade-not-in-scale")
    assert_at(p, path, 15, 12, "criteria[0].check.min")
    assert p.message == "min 'E' is not on the scale [A, B, C, D]"


def test_a_check_without_any_bound(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.groups
          category: edu
          title: 工作小组
          check: {kind: count, path: org.working_groups}
        """,
    )
    p = problem(load_error(path), "missing-bound")
    assert p.line == 11 and p.path == "criteria[0].check"


# -- the file itself ------------------------------------------------------------------------


def test_malformed_yaml_names_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        standard: {id: t.errors, title: 测试}
        criteria:
          - id: edu.board
            check: {kind: exists, path: board
          - id: edu.other
        """,
    )
    # The parser notices at the ':' of line 5; the hint names the unclosed '{' of line 4.
    p = problem(load_error(path), "yaml-syntax")
    assert (p.file, p.line, p.column) == (str(path), 5, 7)
    assert str(p).startswith(f"{path}:5:7: yaml-syntax: ")
    assert p.hint == "while parsing a flow mapping that began at line 4, column 12"


def test_duplicate_mapping_keys_are_an_error_not_an_overwrite(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.board
          category: edu
          title: 宣传栏
          points: 4
          points: 2                   # line 12, key at column 5
          check: {kind: exists, path: board}
        """,
    )
    p = problem(load_error(path), "duplicate-key")
    assert_at(p, path, 12, 5, "criteria[0].points")


def test_a_python_object_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = write(
        tmp_path,
        f"""
        standard: {{id: t.errors, title: 测试}}
        criteria: !!python/object/apply:os.system ["touch {marker}"]
        """,
    )
    p = problem(load_error(path), "yaml-tag")
    assert (p.line, p.column) == (2, 11)
    assert "python/object/apply:os.system" in p.message
    assert not marker.exists()


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_an_empty_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    p = problem(load_error(path), "empty-file")
    assert (p.file, p.line, p.column) == (str(path), 1, 1)


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "- id: edu.board\n- id: edu.other\n")
    p = problem(load_error(path), "wrong-type")
    assert (p.line, p.column) == (1, 1)
    assert "mapping" in p.message


def test_non_utf8_bytes_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    # GBK-encoded 测试 on line 2, after "  title: " (9 characters).
    path.write_bytes(b"standard:\n  title: " + "测试".encode("gbk") + b"\n")
    p = problem(load_error(path), "not-utf8")
    assert (p.file, p.line, p.column) == (str(path), 2, 10)
    assert "UTF-8" in p.message


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    p = problem(load_error(path), "file-not-found")
    assert p.file == str(path)


# -- many mistakes at once --------------------------------------------------------------------


def test_every_mistake_of_a_file_is_reported_at_once_sorted_by_line(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.one                 # line 8
          category: edu
          title: 一
          check: {kind: ration, numerator: a, denominator: b, min: 1}
        - id: edu.two                 # line 12
          category: eud
          title: 二
          check: {kind: exists, path: b}
        - id: edu.three               # line 16
          category: edu
          title: 三
          points: lots
          check: {kind: exists, path: c}
        - id: edu.four                # line 21
          category: edu
          title: 四
          check: {kind: value, path: d, min: $knowledge_rate_mn}
        - id: edu.five                # line 25
          category: edu
          title: 五
          check: {kind: count, path: e, min: 5, max: 3}
        - id: edu.two                 # line 29
          category: edu
          title: 二(重复)
          check: {kind: exists, path: f}
        - id: edu.six                 # line 33
          category: edu
          title: 六
          check: {kind: count, path: g, mn: 1}
        """,
    )
    err = load_error(path)
    got = [(p.line, p.code) for p in err.problems]
    assert got == [
        (11, "unknown-check-kind"),
        (13, "undeclared-category"),
        (19, "wrong-type"),
        (24, "undefined-parameter"),
        (28, "bound-order"),
        (29, "duplicate-criterion"),
        (36, "unknown-field"),
    ]
    # The message lists them all, one per line, in the same order.
    lines = str(err).splitlines()
    assert [line.split(": ")[1] for line in lines] == [code for _, code in got]
    assert all(line.startswith(f"{path}:") for line in lines)
    # The exception itself is the first problem (for callers that read one).
    assert (err.code, err.line) == ("unknown-check-kind", 11)


def test_problems_of_several_files_are_reported_together(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
        standard: {id: t.base, title: 基础}
        categories: [{id: edu, title: 教育}]
        criteria:
          - {id: edu.a, category: edo, title: a, check: {kind: exists, path: a}}
        """,
        "base.yaml",
    )
    path = write(
        tmp_path,
        """
        standard: {id: t.profile, title: 配置}
        extends: base.yaml
        exclude: [edu.b]
        """,
        "profile.yaml",
    )
    err = load_error(path)
    assert {(Path(p.file or "").name, p.code) for p in err.problems} == {
        ("base.yaml", "undeclared-category"),
        ("profile.yaml", "unknown-criterion"),
    }


def test_the_lint_error_is_also_a_value_error(tmp_path: Path) -> None:
    path = write(tmp_path, "standard: {id: t.errors}\n")
    with pytest.raises(ValueError, match="missing required field 'title'"):
        standards.load(path)


def test_standards_meeting_each_other_form_a_cycle(tmp_path: Path) -> None:
    for me, other in (("t.town", "t.county"), ("t.county", "t.town")):
        write(
            tmp_path,
            f"""
            standard: {{id: {me}, title: {me}}}
            categories: [{{id: c, title: c}}]
            criteria:
              - {{id: c.units, category: c, title: units, check: {{kind: meets, standard: {other}}}}}
            """,
            f"{me}.yaml",
        )
    err = load_error(tmp_path / "t.town.yaml")
    p = problem(err, "meets-cycle")
    assert (Path(p.file or "").name, p.line, p.path) == ("t.county.yaml", 4, "criteria[0].check.standard")
    assert "t.town.yaml → t.county.yaml → t.town.yaml" in p.message


def test_a_grade_scale_of_numbers_is_read_as_text(tmp_path: Path) -> None:
    path = write_criteria(
        tmp_path,
        """
        - id: edu.level
          category: edu
          title: 等级
          check: {kind: grade, path: level, scale: [1, 2, 3], min: 2}
        """,
    )
    std = standards.load(path)
    report = std.evaluate({"subject": {"id": "v1"}, "facts": {"level": 1}}, as_of="2011-10-16")
    assert report.findings[0].status == "pass"
