"""Initial domain model (SPEC §3): centers, people, catalog, cohorts, progress,
attendance, certification pursuits, vouchers, evidence and the audit log.

Revision ID: b3b12e07e335
Revises: 
Create Date: 2026-11-28 00:22:23.289359

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3b12e07e335'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('centers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('region', sa.String(length=120), nullable=False),
    sa.Column('cluster', sa.String(length=200), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centers')),
    sa.UniqueConstraint('slug', name=op.f('uq_centers_slug'))
    )
    op.create_table('providers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_providers')),
    sa.UniqueConstraint('slug', name=op.f('uq_providers_slug'))
    )
    op.create_table('tracks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracks')),
    sa.UniqueConstraint('code', name=op.f('uq_tracks_code'))
    )
    op.create_table('certifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('exam_code', sa.String(length=40), nullable=True),
    sa.Column('level', sa.Enum('fundamentals', 'foundational', 'associate', 'professional', 'specialty', 'certificate', name='certification_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('validity_months', sa.Integer(), nullable=True),
    sa.Column('renewal_window_months', sa.Integer(), nullable=True),
    sa.Column('voucher_validity_months', sa.Integer(), nullable=True),
    sa.Column('retake_wait_days', sa.Integer(), nullable=True),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('guardian_acceptance_under', sa.Integer(), nullable=True),
    sa.Column('verification_url_pattern', sa.String(length=300), nullable=True),
    sa.Column('readiness_threshold', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('guardian_acceptance_under IS NULL OR guardian_acceptance_under BETWEEN 0 AND 120', name=op.f('ck_certifications_guardian_age')),
    sa.CheckConstraint('min_age IS NULL OR min_age BETWEEN 0 AND 120', name=op.f('ck_certifications_min_age')),
    sa.CheckConstraint('readiness_threshold IS NULL OR readiness_threshold BETWEEN 0 AND 100', name=op.f('ck_certifications_readiness')),
    sa.CheckConstraint('renewal_window_months IS NULL OR (validity_months IS NOT NULL AND renewal_window_months > 0 AND renewal_window_months <= validity_months)', name=op.f('ck_certifications_renewal_window')),
    sa.CheckConstraint('retake_wait_days IS NULL OR retake_wait_days >= 0', name=op.f('ck_certifications_retake')),
    sa.CheckConstraint('validity_months IS NULL OR validity_months > 0', name=op.f('ck_certifications_validity')),
    sa.CheckConstraint('voucher_validity_months IS NULL OR voucher_validity_months > 0', name=op.f('ck_certifications_voucher_validity')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_certifications_provider_id_providers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certifications')),
    sa.UniqueConstraint('provider_id', 'name', name=op.f('uq_certifications_provider_id_name'))
    )
    with op.batch_alter_table('certifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certifications_provider_id'), ['provider_id'], unique=False)

    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('beginner', 'intermediate', 'advanced', name='course_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('audience', sa.Enum('school', 'university', 'any', name='audience', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('estimated_hours', sa.Integer(), nullable=True),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('estimated_hours IS NULL OR estimated_hours > 0', name=op.f('ck_courses_hours_positive')),
    sa.ForeignKeyConstraint(['track_id'], ['tracks.id'], name=op.f('fk_courses_track_id_tracks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses')),
    sa.UniqueConstraint('code', name=op.f('uq_courses_code'))
    )
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courses_track_id'), ['track_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('student', 'mentor', 'head', 'admin', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("locale IN ('uk', 'en')", name=op.f('ck_users_locale')),
    sa.CheckConstraint("role = 'admin' OR center_id IS NOT NULL", name=op.f('ck_users_center_unless_admin')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_users_center_id_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_center_role', ['center_id', 'role'], unique=False)
    # Autogenerate does not render expression indexes: e-mail is unique case-insensitively.
    op.create_index('uq_users_email_lower', 'users', [sa.text('lower(email)')], unique=True)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('center_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('client_address', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_audit_log_center_id_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_actor_created', ['actor_id', 'created_at'], unique=False)
        batch_op.create_index('ix_audit_log_center_created', ['center_id', 'created_at'], unique=False)
        batch_op.create_index('ix_audit_log_object', ['object_type', 'object_id'], unique=False)

    op.create_table('certification_courses',
    sa.Column('certification_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['certifications.id'], name=op.f('fk_certification_courses_certification_id_certifications')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_certification_courses_course_id_courses')),
    sa.PrimaryKeyConstraint('certification_id', 'course_id', name=op.f('pk_certification_courses'))
    )
    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('schedule', sa.String(length=300), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('planned', 'running', 'finished', name='cohort_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_cohorts_capacity_positive')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_cohorts_dates_ordered')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_cohorts_center_id_centers')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_cohorts_course_id_courses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts'))
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index('ix_cohorts_center_status', ['center_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohorts_course_id'), ['course_id'], unique=False)

    op.create_table('course_modules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_modules_course_id_courses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_modules'))
    )
    with op.batch_alter_table('course_modules', schema=None) as batch_op:
        batch_op.create_index('ix_course_modules_course_position', ['course_id', 'position'], unique=False)

    op.create_table('student_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('sex', sa.Enum('female', 'male', 'other', 'not_stated', name='sex', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('disability', sa.Enum('yes', 'no', 'not_stated', name='disability', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('displaced', sa.Enum('yes', 'no', 'not_stated', name='displaced', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('settlement', sa.Enum('urban', 'rural', name='settlement', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('learner_type', sa.Enum('school', 'university', 'other', name='learner_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=True),
    sa.Column('grade', sa.String(length=40), nullable=True),
    sa.Column('guardian_name', sa.String(length=200), nullable=True),
    sa.Column('guardian_contact', sa.String(length=200), nullable=True),
    sa.Column('guardian_consent_on', sa.Date(), nullable=True),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_student_profiles_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_student_profiles'))
    )
    with op.batch_alter_table('student_profiles', schema=None) as batch_op:
        batch_op.create_index('ix_student_profiles_archived_at', ['archived_at'], unique=False)

    op.create_table('class_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_class_sessions_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_class_sessions_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_sessions'))
    )
    with op.batch_alter_table('class_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_class_sessions_cohort_held_on', ['cohort_id', 'held_on'], unique=False)

    op.create_table('cohort_mentors',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_mentors_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_cohort_mentors_mentor_id_users')),
    sa.PrimaryKeyConstraint('cohort_id', 'mentor_id', name=op.f('pk_cohort_mentors'))
    )
    with op.batch_alter_table('cohort_mentors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_mentors_mentor_id'), ['mentor_id'], unique=False)

    op.create_table('enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('active', 'completed', 'withdrawn', name='enrollment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('enrolled_on', sa.Date(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('completion_set_by_id', sa.Integer(), nullable=True),
    sa.Column('completion_reason', sa.String(length=500), nullable=True),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('withdraw_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status <> 'completed' OR completed_on IS NOT NULL", name=op.f('ck_enrollments_completed_dated')),
    sa.CheckConstraint("status <> 'withdrawn' OR withdrawn_on IS NOT NULL", name=op.f('ck_enrollments_withdrawn_dated')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_enrollments_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['completion_set_by_id'], ['users.id'], name=op.f('fk_enrollments_completion_set_by_id_users')),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_enrollments_student_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollments')),
    sa.UniqueConstraint('student_id', 'cohort_id', name=op.f('uq_enrollments_student_id_cohort_id'))
    )
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index('ix_enrollments_cohort_status', ['cohort_id', 'status'], unique=False)

    op.create_table('lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('lesson', 'lab', 'project', 'quiz', name='lesson_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('max_score', sa.Integer(), nullable=True),
    sa.Column('is_required', sa.Boolean(), nullable=False),
    sa.Column('is_retired', sa.Boolean(), nullable=False),
    sa.CheckConstraint('max_score IS NULL OR max_score > 0', name=op.f('ck_lessons_max_score_positive')),
    sa.ForeignKeyConstraint(['module_id'], ['course_modules.id'], name=op.f('fk_lessons_module_id_course_modules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lessons'))
    )
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.create_index('ix_lessons_module_position', ['module_id', 'position'], unique=False)

    op.create_table('pursuits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('certification_id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('interested', 'preparing', 'practice', 'ready', 'voucher', 'scheduled', 'passed', 'failed', 'withdrawn', name='stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('prep_platform', sa.String(length=200), nullable=True),
    sa.Column('prep_cohort_id', sa.Integer(), nullable=True),
    sa.Column('prep_started_on', sa.Date(), nullable=True),
    sa.Column('ready_signed_off_by_id', sa.Integer(), nullable=True),
    sa.Column('ready_signed_off_at', sa.DateTime(), nullable=True),
    sa.Column('self_paid', sa.Boolean(), nullable=False),
    sa.Column('exam_date', sa.Date(), nullable=True),
    sa.Column('exam_delivery', sa.Enum('test_center', 'online', 'school_site', name='exam_delivery', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('booking_reference', sa.String(length=120), nullable=True),
    sa.Column('result_date', sa.Date(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('credential_id', sa.String(length=200), nullable=True),
    sa.Column('verification_url', sa.String(length=500), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('renewed_on', sa.Date(), nullable=True),
    sa.Column('invalidated_at', sa.DateTime(), nullable=True),
    sa.Column('invalid_reason', sa.String(length=500), nullable=True),
    sa.Column('withdraw_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("stage <> 'passed' OR (result_date IS NOT NULL AND credential_id IS NOT NULL)", name=op.f('ck_pursuits_passed_has_credential')),
    sa.CheckConstraint('attempt >= 1', name=op.f('ck_pursuits_attempt_positive')),
    sa.CheckConstraint('score IS NULL OR score >= 0', name=op.f('ck_pursuits_score_non_negative')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_pursuits_center_id_centers')),
    sa.ForeignKeyConstraint(['certification_id'], ['certifications.id'], name=op.f('fk_pursuits_certification_id_certifications')),
    sa.ForeignKeyConstraint(['prep_cohort_id'], ['cohorts.id'], name=op.f('fk_pursuits_prep_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['ready_signed_off_by_id'], ['users.id'], name=op.f('fk_pursuits_ready_signed_off_by_id_users')),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_pursuits_student_id_users')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_pursuits_verified_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pursuits'))
    )
    with op.batch_alter_table('pursuits', schema=None) as batch_op:
        batch_op.create_index('ix_pursuits_center_stage', ['center_id', 'stage'], unique=False)
        batch_op.create_index('ix_pursuits_certification_id', ['certification_id'], unique=False)
        batch_op.create_index('ix_pursuits_exam_date', ['exam_date'], unique=False)
        batch_op.create_index('ix_pursuits_student_id', ['student_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present', 'late', 'absent', 'excused', name='attendance_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('remark', sa.String(length=500), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_attendance_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['session_id'], ['class_sessions.id'], name=op.f('fk_attendance_session_id_class_sessions')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_attendance_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'enrollment_id', name=op.f('uq_attendance_session_id_enrollment_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_enrollment_id', ['enrollment_id'], unique=False)

    op.create_table('class_session_lessons',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_class_session_lessons_lesson_id_lessons')),
    sa.ForeignKeyConstraint(['session_id'], ['class_sessions.id'], name=op.f('fk_class_session_lessons_session_id_class_sessions')),
    sa.PrimaryKeyConstraint('session_id', 'lesson_id', name=op.f('pk_class_session_lessons'))
    )
    op.create_table('lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'completed', 'excused', name='progress_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('score IS NULL OR score >= 0', name=op.f('ck_lesson_progress_score_non_negative')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_lesson_progress_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_progress_lesson_id_lessons')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_lesson_progress_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_progress')),
    sa.UniqueConstraint('enrollment_id', 'lesson_id', name=op.f('uq_lesson_progress_enrollment_id_lesson_id'))
    )
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.create_index('ix_lesson_progress_lesson_id', ['lesson_id'], unique=False)
        batch_op.create_index('ix_lesson_progress_updated_at', ['updated_at'], unique=False)

    op.create_table('practice_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pursuit_id', sa.Integer(), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('percent BETWEEN 0 AND 100', name=op.f('ck_practice_scores_percent_range')),
    sa.ForeignKeyConstraint(['pursuit_id'], ['pursuits.id'], name=op.f('fk_practice_scores_pursuit_id_pursuits')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_practice_scores_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_scores'))
    )
    with op.batch_alter_table('practice_scores', schema=None) as batch_op:
        batch_op.create_index('ix_practice_scores_pursuit_taken', ['pursuit_id', 'taken_on'], unique=False)

    op.create_table('pursuit_stage_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pursuit_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.Enum('interested', 'preparing', 'practice', 'ready', 'voucher', 'scheduled', 'passed', 'failed', 'withdrawn', name='from_stage', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_stage', sa.Enum('interested', 'preparing', 'practice', 'ready', 'voucher', 'scheduled', 'passed', 'failed', 'withdrawn', name='to_stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_pursuit_stage_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['pursuit_id'], ['pursuits.id'], name=op.f('fk_pursuit_stage_changes_pursuit_id_pursuits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pursuit_stage_changes'))
    )
    with op.batch_alter_table('pursuit_stage_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pursuit_stage_changes_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_pursuit_stage_changes_pursuit_created', ['pursuit_id', 'created_at'], unique=False)

    op.create_table('vouchers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('certification_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('funder', sa.String(length=200), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('available', 'assigned', 'used', 'expired', 'revoked', name='voucher_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('pursuit_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status NOT IN ('assigned', 'used') OR pursuit_id IS NOT NULL", name=op.f('ck_vouchers_assigned_has_pursuit')),
    sa.CheckConstraint('expires_on IS NULL OR expires_on >= issued_on', name=op.f('ck_vouchers_dates_ordered')),
    sa.CheckConstraint('value IS NULL OR value >= 0', name=op.f('ck_vouchers_value_non_negative')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_vouchers_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_vouchers_center_id_centers')),
    sa.ForeignKeyConstraint(['certification_id'], ['certifications.id'], name=op.f('fk_vouchers_certification_id_certifications')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_vouchers_provider_id_providers')),
    sa.ForeignKeyConstraint(['pursuit_id'], ['pursuits.id'], name=op.f('fk_vouchers_pursuit_id_pursuits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vouchers')),
    sa.UniqueConstraint('provider_id', 'code', name=op.f('uq_vouchers_provider_id_code'))
    )
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.create_index('ix_vouchers_center_status', ['center_id', 'status'], unique=False)
        batch_op.create_index('ix_vouchers_expires_on', ['expires_on'], unique=False)
        batch_op.create_index('ix_vouchers_pursuit_id', ['pursuit_id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('link', 'file', name='evidence_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('pursuit_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.Enum('interested', 'preparing', 'practice', 'ready', 'voucher', 'scheduled', 'passed', 'failed', 'withdrawn', name='evidence_stage', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('progress_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('stored_name', sa.String(length=80), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=60), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(kind = 'link' AND url IS NOT NULL AND stored_name IS NULL) OR (kind = 'file' AND stored_name IS NOT NULL)", name=op.f('ck_evidence_kind_fields')),
    sa.CheckConstraint('(pursuit_id IS NULL) <> (progress_id IS NULL)', name=op.f('ck_evidence_exactly_one_target')),
    sa.CheckConstraint('size_bytes IS NULL OR size_bytes > 0', name=op.f('ck_evidence_size_positive')),
    sa.ForeignKeyConstraint(['progress_id'], ['lesson_progress.id'], name=op.f('fk_evidence_progress_id_lesson_progress')),
    sa.ForeignKeyConstraint(['pursuit_id'], ['pursuits.id'], name=op.f('fk_evidence_pursuit_id_pursuits')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_evidence_uploaded_by_id_users')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_evidence_verified_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_evidence_stored_name'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_progress_id', ['progress_id'], unique=False)
        batch_op.create_index('ix_evidence_pursuit_id', ['pursuit_id'], unique=False)

    op.create_table('progress_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('progress_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('from_status', sa.Enum('not_started', 'in_progress', 'completed', 'excused', name='from_status', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_status', sa.Enum('not_started', 'in_progress', 'completed', 'excused', name='to_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('from_score', sa.Integer(), nullable=True),
    sa.Column('to_score', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_progress_events_actor_id_users')),
    sa.ForeignKeyConstraint(['progress_id'], ['lesson_progress.id'], name=op.f('fk_progress_events_progress_id_lesson_progress')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_events'))
    )
    with op.batch_alter_table('progress_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_progress_events_progress_created', ['progress_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('progress_events', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_events_progress_created')
        batch_op.drop_index(batch_op.f('ix_progress_events_actor_id'))

    op.drop_table('progress_events')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_pursuit_id')
        batch_op.drop_index('ix_evidence_progress_id')

    op.drop_table('evidence')
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.drop_index('ix_vouchers_pursuit_id')
        batch_op.drop_index('ix_vouchers_expires_on')
        batch_op.drop_index('ix_vouchers_center_status')

    op.drop_table('vouchers')
    with op.batch_alter_table('pursuit_stage_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_pursuit_stage_changes_pursuit_created')
        batch_op.drop_index(batch_op.f('ix_pursuit_stage_changes_actor_id'))

    op.drop_table('pursuit_stage_changes')
    with op.batch_alter_table('practice_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_scores_pursuit_taken')

    op.drop_table('practice_scores')
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_lesson_progress_updated_at')
        batch_op.drop_index('ix_lesson_progress_lesson_id')

    op.drop_table('lesson_progress')
    op.drop_table('class_session_lessons')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_enrollment_id')

    op.drop_table('attendance')
    with op.batch_alter_table('pursuits', schema=None) as batch_op:
        batch_op.drop_index('ix_pursuits_student_id')
        batch_op.drop_index('ix_pursuits_exam_date')
        batch_op.drop_index('ix_pursuits_certification_id')
        batch_op.drop_index('ix_pursuits_center_stage')

    op.drop_table('pursuits')
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_index('ix_lessons_module_position')

    op.drop_table('lessons')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index('ix_enrollments_cohort_status')

    op.drop_table('enrollments')
    with op.batch_alter_table('cohort_mentors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_mentors_mentor_id'))

    op.drop_table('cohort_mentors')
    with op.batch_alter_table('class_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_class_sessions_cohort_held_on')

    op.drop_table('class_sessions')
    with op.batch_alter_table('student_profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_student_profiles_archived_at')

    op.drop_table('student_profiles')
    with op.batch_alter_table('course_modules', schema=None) as batch_op:
        batch_op.drop_index('ix_course_modules_course_position')

    op.drop_table('course_modules')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohorts_course_id'))
        batch_op.drop_index('ix_cohorts_center_status')

    op.drop_table('cohorts')
    op.drop_table('certification_courses')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_object')
        batch_op.drop_index('ix_audit_log_center_created')
        batch_op.drop_index('ix_audit_log_actor_created')

    op.drop_table('audit_log')
    op.drop_index('uq_users_email_lower', table_name='users')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_center_role')

    op.drop_table('users')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courses_track_id'))

    op.drop_table('courses')
    with op.batch_alter_table('certifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certifications_provider_id'))

    op.drop_table('certifications')
    op.drop_table('tracks')
    op.drop_table('providers')
    op.drop_table('centers')
